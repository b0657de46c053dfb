package awsproto_test

import (
	"reflect"
	"sync"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
)

type tree struct {
	Name     *string           `aws:"Name,loc=name,req,min=1,max=255,enum=Names"`
	Children []tree            `aws:"Children,loc=childSet,mloc=item"`
	Parent   *tree             `aws:"Parent"`
	Labels   map[string]string `aws:"Labels,flat,kloc=k,vloc=v"`
	Token    *string           `aws:"Token,qn=ClientToken,idem"`
	//lint:ignore U1000 an untagged field, which the plan must skip
	internal int
}

func TestStructOfTags(t *testing.T) {
	p := awsproto.StructOf(reflect.TypeFor[*tree]())
	if len(p.Fields) != 5 {
		t.Fatalf("%d fields, want 5 (untagged ones skipped)", len(p.Fields))
	}
	name := p.FieldByName("Name")
	if name.Loc != "name" || !name.Required || *name.Min != 1 || *name.Max != 255 || name.Enum != "Names" ||
		!name.Ptr || name.Kind != awsproto.KindString || name.XMLName() != "name" {
		t.Errorf("Name: %+v", name)
	}
	kids := p.FieldByName("Children")
	if kids.Kind != awsproto.KindList || kids.MemberLoc != "item" || kids.Elem.Struct != p {
		t.Errorf("Children: %+v", kids)
	}
	if parent := p.FieldByName("Parent"); parent.Struct != p || parent.XMLName() != "Parent" {
		t.Errorf("Parent: %+v", parent)
	}
	labels := p.FieldByName("Labels")
	if !labels.Flat || labels.KeyLoc != "k" || labels.ValueLoc != "v" || labels.Elem.Kind != awsproto.KindString {
		t.Errorf("Labels: %+v", labels)
	}
	if tok := p.FieldByName("Token"); tok.QueryName != "ClientToken" || !tok.Idem {
		t.Errorf("Token: %+v", tok)
	}
}

// TestStructOfConcurrent checks that concurrent first uses of a type all
// see its complete plan (run with -race).
func TestStructOfConcurrent(t *testing.T) {
	type fresh struct {
		A *string `aws:"A"`
		B []fresh `aws:"B"`
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			p := awsproto.StructOf(reflect.TypeFor[fresh]())
			if len(p.Fields) != 2 || p.Fields[1].Elem.Struct != p || len(p.Fields[1].Elem.Struct.Fields) != 2 {
				t.Errorf("incomplete plan: %+v", p)
			}
		})
	}
	wg.Wait()
}

func TestIdempotencyTokenAndDryRun(t *testing.T) {
	type input struct {
		ClientToken *string `aws:"ClientToken,idem"`
		DryRun      *bool   `aws:"DryRun"`
	}
	yes, token := true, "tok"
	tests := []struct {
		in     any
		token  string
		dryRun bool
	}{
		{&input{ClientToken: &token, DryRun: &yes}, "tok", true},
		{&input{}, "", false},
		{(*input)(nil), "", false},
		{input{ClientToken: &token}, "", false}, // not a pointer
	}
	for _, tt := range tests {
		tok, ok := awsproto.IdempotencyToken(tt.in)
		if tok != tt.token || ok != (tt.token != "") || awsproto.DryRun(tt.in) != tt.dryRun {
			t.Errorf("%#v: token %q %v, dry run %v", tt.in, tok, ok, awsproto.DryRun(tt.in))
		}
	}
}
