package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/awsproto/awsjson"
	"github.com/vpcemu/vpcemu/internal/idempotency"
	"github.com/vpcemu/vpcemu/internal/server"
	"github.com/vpcemu/vpcemu/internal/store/sqlite"
)

type tokenInput struct {
	ClientToken *string `aws:"clientToken,idem"`
}

type tokenOutput struct {
	N *int64 `aws:"n"`
}

// TestReplayKeepsTheProtocol: an answer a client token replays is the
// first, byte for byte, with the json protocol's media type.
func TestReplayKeepsTheProtocol(t *testing.T) {
	st, err := sqlite.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var calls int64
	spec := &awsproto.Spec{SigningName: "test", Protocol: "json", TargetPrefix: "TestService", JSONVersion: "1.1",
		Operations: map[string]*awsproto.Operation{"Make": {Name: "Make", NewInput: func() any { return new(tokenInput) },
			Invoke: func(context.Context, *awsproto.Request, any, any) (any, error) {
				calls++
				return &tokenOutput{N: new(calls)}, nil
			}}}}
	srv := httptest.NewServer(server.New(server.Config{
		Services:    []*server.Service{{Spec: spec, Codec: awsjson.JSON}},
		Idempotency: idempotency.New(st),
	}))
	defer srv.Close()
	var first string
	for i := range 2 {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{"clientToken":"tok"}`))
		r.Header.Set("X-Amz-Target", "TestService.Make")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i == 0 {
			first = string(b)
		}
		if resp.StatusCode != 200 || string(b) != `{"n":1}` || string(b) != first || resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
			t.Errorf("call %d: %d %s %v", i+1, resp.StatusCode, b, resp.Header)
		}
	}
	if calls != 1 {
		t.Errorf("the operation ran %d times", calls)
	}
}
