package dataplane

import (
	"context"
	"testing"

	"github.com/vpcemu/vpcemu/internal/cloudtest"
)

// TestRunConfigModes: a run is transparent (where a device socket is) or
// proxied; only a proxied run listens through the proxy, on loopback.
func TestRunConfigModes(t *testing.T) {
	d, client, _, _ := privateLinkWorld(t)
	tests := []struct {
		name   string
		socket string
		req    RunRequest
		code   string // "" for a configuration
		proxy  bool
	}{
		{"transparent", "/run/devices.sock", RunRequest{}, "", false},
		{"transparent without a device socket (off Linux)", "", RunRequest{}, "UnsupportedOperation", false},
		{"proxy", "", RunRequest{Mode: ModeProxy, Listen: []string{"8080=127.0.0.1:18080"}}, "", true},
		{"an unknown mode", "/run/devices.sock", RunRequest{Mode: "tap"}, "InvalidParameterValue", false},
		{"listening in transparent mode", "/run/devices.sock", RunRequest{Listen: []string{"8080=127.0.0.1:18080"}}, "InvalidParameterCombination", false},
		{"listening beyond loopback", "", RunRequest{Mode: ModeProxy, Listen: []string{"8080=10.0.0.1:18080"}}, "InvalidParameterValue", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRuns(d.live, tt.socket, nil)
			r.proxy = "127.0.0.1:3128"
			tt.req.Instance = client.Instance
			cfg, err := r.config(context.Background(), cloudtest.Alice, tt.req)
			if tt.code != "" {
				if err == nil || err.Code != tt.code {
					t.Fatalf("error %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Proxy != "" && cfg.Socket == ""; got != tt.proxy || cfg.Token == "" || len(cfg.Addresses) == 0 {
				t.Errorf("configuration %+v: proxy %v, want %v", cfg, got, tt.proxy)
			}
		})
	}
}

// TestProxySession: a session starts once per token, only for a run of
// proxy mode, and a port of an instance is one run's at a time.
func TestProxySession(t *testing.T) {
	d, client, _, _ := privateLinkWorld(t)
	f := NewFabric(d, nil, nil, nil)
	r := NewRuns(d.live, "/run/devices.sock", nil)
	r.proxy = "127.0.0.1:3128"
	token := func(req RunRequest) string {
		req.Instance = client.Instance
		cfg, err := r.config(context.Background(), cloudtest.Alice, req)
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Token
	}
	listen := RunRequest{Mode: ModeProxy, Listen: []string{"8080=127.0.0.1:18080"}}
	first := token(listen)
	_, end, err := r.claim(client.Instance, first, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.session(client.Instance, first); !ok {
		t.Error("the session's credentials are not known")
	}
	if _, ok := r.session("i-0123456789abcdef0", first); ok {
		t.Error("another instance's name with the token is known")
	}
	tests := []struct {
		name     string
		instance string
		token    string
	}{
		{"the token again", client.Instance, first},
		{"a transparent run's token", client.Instance, token(RunRequest{})},
		{"another instance's name", "i-0123456789abcdef0", token(RunRequest{Mode: ModeProxy})},
		{"a port another run serves", client.Instance, token(listen)},
	}
	for _, tt := range tests {
		if _, _, err := r.claim(tt.instance, tt.token, f); err == nil {
			t.Errorf("%s: the session started", tt.name)
		}
	}
	end()
	if _, ok := r.session(client.Instance, first); ok {
		t.Error("the session's credentials outlive it")
	}
	if _, end, err := r.claim(client.Instance, token(listen), f); err != nil {
		t.Errorf("the port once its run has ended: %v", err)
	} else {
		end()
	}
}
