package unserved

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseAndWrite(t *testing.T) {
	served := []string{"ec2 2016-11-15"}
	tests := []struct {
		name, signing, method, target string
		header                        map[string]string
		body                          string
		operation, service, protocol  string
	}{
		{"rest-xml", "route53", "GET", "/2013-04-01/hostedzone", nil, "", "ListHostedZones", "route53", "rest-xml"},
		{"rest-xml, a label", "route53", "GET", "/2013-04-01/hostedzone/Z123", nil, "", "GetHostedZone", "route53", "rest-xml"},
		{"s3 root", "s3", "GET", "/", nil, "", "ListBuckets", "s3", "rest-xml"},
		{"s3 query key decides", "s3", "GET", "/bucket?list-type=2", nil, "", "ListObjectsV2", "s3", "rest-xml"},
		{"s3 without it", "s3", "GET", "/bucket", nil, "", "ListObjects", "s3", "rest-xml"},
		{"s3 greedy key", "s3", "GET", "/bucket/a/b/c.txt", nil, "", "GetObject", "s3", "rest-xml"},
		{"s3 head", "s3", "HEAD", "/bucket", nil, "", "HeadBucket", "s3", "rest-xml"},
		{"json", "directconnect", "POST", "/", map[string]string{"X-Amz-Target": "OvertureService.DescribeConnections", "Content-Type": "application/x-amz-json-1.1"}, "{}",
			"DescribeConnections", "directconnect", "json"},
		{"json 1.0 target picks among a signing name's services", "dynamodb", "POST", "/", map[string]string{"X-Amz-Target": "DynamoDBStreams_20120810.ListStreams"}, "{}",
			"ListStreams", "streams.dynamodb", "json"},
		{"rpcv2 cbor", "monitoring", "POST", "/service/GraniteServiceVersion20100801/operation/ListMetrics", map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, "",
			"ListMetrics", "monitoring", "cbor"},
		{"query", "monitoring", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "Action=ListMetrics&Version=2010-08-01",
			"ListMetrics", "monitoring", "query"},
		{"query, ELB classic by version", "elasticloadbalancing", "POST", "/", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			"Action=DescribeLoadBalancers&Version=2012-06-01", "DescribeLoadBalancers", "elasticloadbalancing", "query"},
		{"rest-json", "lambda", "GET", "/2015-03-31/functions/", nil, "", "ListFunctions", "lambda", "rest-json"},
		{"no model", "nosuch", "POST", "/", nil, "", "", "", "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			q := Parse(r, []byte(tt.body), tt.signing)
			model := ""
			if q.Service != nil {
				model = q.Service.Model
			}
			if q.Operation != tt.operation || model != tt.service || q.protocol != tt.protocol {
				t.Fatalf("got %s of %q in %s, want %s of %q in %s", q.Operation, model, q.protocol, tt.operation, tt.service, tt.protocol)
			}
			e := q.Error(served)
			if e.Status != http.StatusBadRequest || e.Code != "UnsupportedOperation" ||
				!strings.Contains(e.Message, "vpcemu does not emulate") || !strings.Contains(e.Message, tt.signing) ||
				tt.operation != "" && !strings.Contains(e.Message, "cannot answer "+tt.operation+".") || !strings.Contains(e.Message, "ec2 2016-11-15") {
				t.Errorf("error %d %s %q", e.Status, e.Code, e.Message)
			}
			w := httptest.NewRecorder()
			q.Write(w, e, "req-1")
			if w.Code != http.StatusBadRequest {
				t.Errorf("status %d", w.Code)
			}
			code, message := decodeError(t, q.protocol, w)
			if code != e.Code || message != e.Message {
				t.Errorf("the client reads %q %q from\n%s", code, message, w.Body.Bytes())
			}
		})
	}
}

// decodeError reads an error answer as the client of protocol does.
func decodeError(t *testing.T, protocol string, w *httptest.ResponseRecorder) (code, message string) {
	t.Helper()
	body := w.Body.Bytes()
	switch protocol {
	case "json", "rest-json":
		var v struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if h := w.Header().Get("X-Amzn-Errortype"); h != v.Type {
			t.Errorf("X-Amzn-Errortype %q, body %q", h, v.Type)
		}
		return v.Type, v.Message
	case "cbor":
		if w.Header().Get("Smithy-Protocol") != "rpc-v2-cbor" {
			t.Errorf("Smithy-Protocol %q", w.Header().Get("Smithy-Protocol"))
		}
		m := decodeCBORMap(t, body)
		return m["__type"], m["message"]
	default:
		var v struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
			Error   struct {
				Code    string `xml:"Code"`
				Message string `xml:"Message"`
			} `xml:"Error"`
			Errors struct {
				Error struct {
					Code    string `xml:"Code"`
					Message string `xml:"Message"`
				} `xml:"Error"`
			} `xml:"Errors"`
		}
		if err := xml.Unmarshal(body, &v); err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		for _, c := range [][2]string{{v.Code, v.Message}, {v.Error.Code, v.Error.Message}, {v.Errors.Error.Code, v.Errors.Error.Message}} {
			if c[0] != "" {
				return c[0], c[1]
			}
		}
		return "", ""
	}
}

// decodeCBORMap reads a definite map of text strings, all cborError writes.
func decodeCBORMap(t *testing.T, b []byte) map[string]string {
	t.Helper()
	r := bytes.NewReader(b)
	head := func(major byte) int {
		c, err := r.ReadByte()
		if err != nil || c>>5 != major {
			t.Fatalf("CBOR: got %#x, want major type %d", c, major)
		}
		n := int(c & 0x1f)
		size := map[int]int{24: 1, 25: 2, 26: 4}[n]
		if n >= 24 {
			n = 0
			for range size {
				c, _ := r.ReadByte()
				n = n<<8 | int(c)
			}
		}
		return n
	}
	text := func() string {
		s := make([]byte, head(3))
		r.Read(s)
		return string(s)
	}
	m := map[string]string{}
	for range head(5) {
		k := text()
		m[k] = text()
	}
	if r.Len() != 0 {
		t.Fatalf("CBOR: %d bytes left", r.Len())
	}
	return m
}

func TestCBORLongMessage(t *testing.T) {
	long := strings.Repeat("x", 300)
	m := decodeCBORMap(t, cborError("Code", long))
	if m["__type"] != "Code" || m["message"] != long {
		t.Fatalf("%v", m)
	}
}

func TestKnown(t *testing.T) {
	for _, tt := range []struct {
		name, version string
		want          bool
	}{
		{"elasticloadbalancing", "2012-06-01", true},
		{"elasticloadbalancing", "2015-12-01", true},
		{"elasticloadbalancing", "2099-01-01", false},
		{"nosuch", "2012-06-01", false},
	} {
		if got := Known(tt.name, tt.version); got != tt.want {
			t.Errorf("Known(%s, %s) = %v", tt.name, tt.version, got)
		}
	}
}
