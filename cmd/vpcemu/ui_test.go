package main

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestPageURL(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "no environment", want: "http://127.0.0.1:4566/_vpcemu/ui/"},
		{name: "an account's key", env: map[string]string{"AWS_ACCESS_KEY_ID": "111111111111"}, want: "http://127.0.0.1:4566/_vpcemu/ui/?account=111111111111&region=us-east-1"},
		{name: "a region", env: map[string]string{"AWS_DEFAULT_REGION": "eu-west-1"}, want: "http://127.0.0.1:4566/_vpcemu/ui/?region=eu-west-1"},
		{name: "AWS_REGION first", env: map[string]string{"AWS_ACCESS_KEY_ID": "111111111111", "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-west-1"},
			want: "http://127.0.0.1:4566/_vpcemu/ui/?account=111111111111&region=us-west-2"},
		{name: "a key that names no account", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE"}, want: "http://127.0.0.1:4566/_vpcemu/ui/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := pageURL("http://127.0.0.1:4566/", func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBrowserOpener(t *testing.T) {
	has := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			for _, h := range names {
				if h == n {
					return "/usr/bin/" + n, nil
				}
			}
			return "", errors.New("not found")
		}
	}
	cases := []struct {
		name, browser string
		look          func(string) (string, error)
		want          string
	}{
		{"$BROWSER first", "firefox", has("xdg-open"), "firefox"},
		{"xdg-open", "", has("xdg-open", "open"), "/usr/bin/xdg-open"},
		{"macOS", "", has("open"), "/usr/bin/open"},
		{"none", "", has(), ""},
	}
	for _, tc := range cases {
		if got := browserOpener(func(string) string { return tc.browser }, tc.look); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestUICommand: `vpcemu ui` prints the page of a running vpcemu, which
// serves it; with none running it says so.
func TestUICommand(t *testing.T) {
	t.Parallel()
	s := startServe(t, nil, "--in-memory", "--addr", "127.0.0.1:0")
	stdout, stderr, code := vpcemu(t, callerEnv, "ui", "--no-open", "--endpoint-url", s.URL)
	page := strings.TrimSpace(stdout)
	if code != 0 || stderr != "" || !strings.HasPrefix(page, s.URL+"/_vpcemu/ui/?account=") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("the page answered %s, %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	if _, stderr, code := vpcemu(t, callerEnv, "ui", "--no-open", "--endpoint-url", "http://127.0.0.1:1"); code != 2 || stderr == "" {
		t.Errorf("with no server: exit %d, stderr %q", code, stderr)
	}
}
