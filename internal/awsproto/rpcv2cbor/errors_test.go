package rpcv2cbor_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/vpcemu/vpcemu/internal/api/cloudwatchapi"
	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/rpcv2cbor"
)

const prefix = "/service/GraniteServiceVersion20100801/operation/"

func request(path string, body []byte) *http.Request {
	r := httptest.NewRequest("POST", path, bytes.NewReader(body))
	r.Header.Set(rpcv2cbor.ProtocolHeader, "rpc-v2-cbor")
	return r
}

func mustCBOR(t *testing.T, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRefusals: what the codec refuses, with the code, status and words.
func TestRefusals(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	valid := map[string]any{"Namespace": "App", "MetricName": "X", "StartTime": at, "EndTime": at, "Period": 60}
	without := func(k string) map[string]any {
		m := map[string]any{}
		for kk, v := range valid {
			if kk != k {
				m[kk] = v
			}
		}
		return m
	}
	with := func(k string, v any) map[string]any {
		m := without(k)
		m[k] = v
		return m
	}
	tests := []struct {
		name, path string
		body       []byte
		code       string
		status     int
		msg        string
	}{
		{"unknown operation", prefix + "Nope", nil, "UnknownOperationException", 404, "names no operation"},
		{"another service", "/service/Other/operation/ListMetrics", nil, "UnknownOperationException", 404, "names no operation"},
		{"not served", prefix + "DescribeAlarms", nil, "UnsupportedOperation", 400, "vpcemu does not implement monitoring:DescribeAlarms yet."},
		{"not CBOR", prefix + "ListMetrics", []byte{0xff, 0x00}, "SerializationException", 400, "not valid CBOR"},
		{"not a map", prefix + "ListMetrics", mustCBOR(t, []int{1}), "SerializationException", 400, "must be a CBOR map, not an array"},
		{"wrong type", prefix + "ListMetrics", mustCBOR(t, map[string]any{"Namespace": 7}), "SerializationException", 400, "Expected a text string at 'namespace', got an integer."},
		{"missing", prefix + "GetMetricStatistics", mustCBOR(t, without("MetricName")), "ValidationException", 400,
			"1 validation error detected: Value null at 'metricName' failed to satisfy constraint: Member must not be null"},
		{"out of range", prefix + "ListMetrics", mustCBOR(t, map[string]any{"Namespace": ""}), "ValidationException", 400,
			"Value '' at 'namespace' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"int32 overflow", prefix + "GetMetricStatistics", mustCBOR(t, map[string]any{"Namespace": "App", "MetricName": "X", "StartTime": at, "EndTime": at, "Period": int64(1) << 40}),
			"SerializationException", 400, "Expected an integer of 32 bits at 'period'"},
		{"fraction as integer", prefix + "GetMetricStatistics", mustCBOR(t, with("Period", 1.5)),
			"SerializationException", 400, "Expected an integer of 32 bits at 'period', got a float."},
		{"timestamp as text", prefix + "GetMetricStatistics", mustCBOR(t, with("StartTime", "yesterday")),
			"SerializationException", 400, "Expected a timestamp (tag 1) at 'startTime', got a text string."},
		{"timestamp out of range", prefix + "GetMetricStatistics", mustCBOR(t, with("StartTime", 1e16)),
			"SerializationException", 400, "Expected a timestamp (tag 1) at 'startTime', got a float."},
		{"list item of the wrong type", prefix + "GetMetricStatistics", mustCBOR(t, with("Statistics", []any{"Sum", 7})),
			"SerializationException", 400, "Expected a text string at 'statistics.2.member', got an integer."},
		{"structure as text", prefix + "GetMetricStatistics", mustCBOR(t, with("Dimensions", []any{"x"})),
			"SerializationException", 400, "Expected a map at 'dimensions.1.member', got a text string."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := rpcv2cbor.CBOR.Decode(request(tc.path, tc.body), tc.body, cloudwatchapi.Spec)
			var e *awsproto.Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Status != tc.status || !bytes.Contains([]byte(e.Message), []byte(tc.msg)) {
				t.Fatalf("got %v, want %s (%d) %q", err, tc.code, tc.status, tc.msg)
			}
		})
	}
}

// TestUntaggedTime: a timestamp sent as epoch seconds without tag 1 is
// taken, to the millisecond.
func TestUntaggedTime(t *testing.T) {
	body := mustCBOR(t, map[string]any{"Namespace": "App", "MetricName": "X", "StartTime": 1700000000.2504, "EndTime": uint64(1700000060), "Period": 60})
	_, in, err := rpcv2cbor.CBOR.Decode(request(prefix+"GetMetricStatistics", body), body, cloudwatchapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	got := in.(*cloudwatchapi.GetMetricStatisticsInput)
	if want := time.UnixMilli(1700000000250).UTC(); !got.StartTime.Equal(want) || got.StartTime.Location() != time.UTC {
		t.Errorf("StartTime %v, want %v", got.StartTime, want)
	}
	if want := time.Unix(1700000060, 0); !got.EndTime.Equal(want) {
		t.Errorf("EndTime %v, want %v", got.EndTime, want)
	}
}

// TestErrorAnswer: an error names the model's shape in __type and the
// query code in X-Amzn-Query-Error, as a query-compatible service does.
func TestErrorAnswer(t *testing.T) {
	tests := []struct {
		code, shape, header string
		status              int
	}{
		{"InvalidParameterValue", "InvalidParameterValueException", "InvalidParameterValue;Sender", 400},
		{"ValidationError", "ValidationError", "ValidationError;Sender", 400},
		{"InternalError", "InternalError", "InternalError;Receiver", 500},
	}
	for _, tc := range tests {
		w := httptest.NewRecorder()
		rpcv2cbor.CBOR.EncodeError(w, cloudwatchapi.Spec, &awsproto.Error{Code: tc.code, Message: "why", Status: tc.status}, "req-1")
		var body map[string]string
		if err := cbor.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		h := w.Header()
		if w.Code != tc.status || body["__type"] != tc.shape || body["message"] != "why" || h.Get("X-Amzn-Query-Error") != tc.header ||
			h.Get("Smithy-Protocol") != "rpc-v2-cbor" || h.Get("Content-Type") != "application/cbor" || h.Get("X-Amzn-Requestid") != "req-1" {
			t.Errorf("%s: %d %v %v", tc.code, w.Code, body, h)
		}
	}
}
