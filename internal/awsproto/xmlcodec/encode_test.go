package xmlcodec_test

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"testing"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto/xmlcodec"
)

func TestElementEscapes(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"markup", `a&b<c>d"e'f`, "a&amp;b&lt;c&gt;d&quot;e'f"},
		{"whitespace XML keeps", "a\tb\nc", "a\tb\nc"},
		{"carriage return survives parsing", "a\r\nb", "a&#xD;\nb"},
		{"control characters", "a\x00b\x01c\x1fd\x7f", "a\uFFFDb\uFFFDc\uFFFDd\x7f"},
		{"invalid UTF-8", "a\xffb\xc3", "a\uFFFDb\uFFFD"},
		{"encoded surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"noncharacters", "\uFFFE\uFFFF", "\uFFFD\uFFFD"},
		{"non-ASCII", "ü€😀", "ü€😀"},
		{"replacement character itself", "\uFFFD", "\uFFFD"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			xmlcodec.Element(&b, "m", tt.in)
			if got, want := b.String(), "<m>"+tt.want+"</m>"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			// Whatever the input, a client's parser must accept the answer.
			var parsed string
			if err := xml.Unmarshal(b.Bytes(), &parsed); err != nil {
				t.Errorf("%q does not parse: %v", b.String(), err)
			}
		})
	}
}

type shape struct {
	Name      *string           `aws:"Name,loc=name"`
	Unset     *string           `aws:"Unset"`
	Count     *int32            `aws:"Count"`
	Big       *int64            `aws:"Big"`
	Half      *float32          `aws:"Half"`
	Ratio     *float64          `aws:"Ratio"`
	On        *bool             `aws:"On"`
	At        *time.Time        `aws:"At"`
	Data      []byte            `aws:"Data"`
	Items     []string          `aws:"Items,loc=itemSet,mloc=item"`
	Members   []int32           `aws:"Members"`
	Empty     []string          `aws:"Empty,loc=emptySet,mloc=item"`
	Flat      []string          `aws:"Flat,flat"`
	FlatNamed []string          `aws:"FlatNamed,flat,mloc=Named"`
	Tags      map[string]string `aws:"Tags,kloc=k,vloc=v"`
	FlatMap   map[string]int32  `aws:"FlatMap,flat"`
	Child     *child            `aws:"Child,loc=child"`
	Children  []child           `aws:"Children,loc=childSet,mloc=item"`
	Header    *string           `aws:"Header,in=header"`
	Attr      *string           `aws:"Attr,attr"`
}

type child struct {
	Id *string `aws:"Id,loc=id"`
}

func TestWriteMembers(t *testing.T) {
	at := time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil", (*shape)(nil), ""},
		// Lists and maps nobody set are sent empty: AWS answers every list
		// of a structure it returns, and clients index into them.
		{"nothing set", &shape{}, "<itemSet/><Members/><emptySet/><Tags/><childSet/>"},
		{"scalars", &shape{Name: new("n"), Count: new(int32(-3)), Big: new(int64(1 << 40)), Half: new(float32(0.1)),
			Ratio: new(2.5), On: new(false), At: &at, Data: []byte{0, 0xff}},
			"<name>n</name><Count>-3</Count><Big>1099511627776</Big><Half>0.1</Half><Ratio>2.5</Ratio><On>false</On>" +
				"<At>2024-02-29T22:59:58.123Z</At><Data>AP8=</Data><itemSet/><Members/><emptySet/><Tags/><childSet/>"},
		{"lists", &shape{Items: []string{"a", "b"}, Members: []int32{1}, Empty: []string{}, Flat: []string{"x", "y"}, FlatNamed: []string{"z"}},
			"<itemSet><item>a</item><item>b</item></itemSet><Members><member>1</member></Members><emptySet/>" +
				"<Flat>x</Flat><Flat>y</Flat><Named>z</Named><Tags/><childSet/>"},
		{"maps in key order", &shape{Tags: map[string]string{"b": "2", "a": "1"}, FlatMap: map[string]int32{"k": 7}},
			"<itemSet/><Members/><emptySet/><Tags><entry><k>a</k><v>1</v></entry><entry><k>b</k><v>2</v></entry></Tags>" +
				"<FlatMap><key>k</key><value>7</value></FlatMap><childSet/>"},
		{"empty map", &shape{Tags: map[string]string{}, FlatMap: map[string]int32{}}, "<itemSet/><Members/><emptySet/><Tags/><childSet/>"},
		{"structures", &shape{Child: &child{Id: new("c")}, Children: []child{{Id: new("1")}, {}}},
			"<itemSet/><Members/><emptySet/><Tags/><child><id>c</id></child><childSet><item><id>1</id></item><item></item></childSet>"},
		{"headers and attributes are not elements", &shape{Header: new("h"), Attr: new("a")}, "<itemSet/><Members/><emptySet/><Tags/><childSet/>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			xmlcodec.WriteMembers(&b, reflect.ValueOf(tt.in))
			if b.String() != tt.want {
				t.Errorf("got  %s\nwant %s", b.String(), tt.want)
			}
		})
	}
}
