package sigv4

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	cases := []struct {
		name, file, err string
	}{
		{"two keys", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s1", "account": "111111111111"},
			{"accessKeyId": "AKIA2", "secretAccessKey": "s2", "account": "111111111111"}]`, ""},
		{"not JSON", `accessKeyId=AKIA1`, "not a JSON list"},
		{"an object, not a list", `{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": "111111111111"}`, "not a JSON list"},
		{"empty list", `[]`, "the list is empty"},
		{"unknown member", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": "111111111111", "region": "us-east-1"}]`, `unknown field "region"`},
		{"trailing text", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": "111111111111"}] x`, "text after"},
		{"no key id", `[{"secretAccessKey": "s", "account": "111111111111"}]`, "entry 1: accessKeyId is missing"},
		{"no secret", `[{"accessKeyId": "AKIA1", "account": "111111111111"}]`, "entry 1 (AKIA1): secretAccessKey is missing"},
		{"no account", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s"}]`, "entry 1 (AKIA1): account is missing"},
		{"short account", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": "11111111111"}]`, `account "11111111111" is not 12 digits`},
		{"account not digits", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": "11111111111a"}]`, "is not 12 digits"},
		{"account as a number", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s", "account": 111111111111}]`, "not a JSON list"},
		{"duplicate key", `[{"accessKeyId": "AKIA1", "secretAccessKey": "s1", "account": "111111111111"},
			{"accessKeyId": "AKIA1", "secretAccessKey": "s2", "account": "222222222222"}]`, "entry 2 (AKIA1): access key id AKIA1 is listed twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKeys([]byte(tc.file))
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if key, ok := k.Lookup("AKIA2"); !ok || key.SecretAccessKey != "s2" || key.Account != "111111111111" || k.Len() != 2 {
					t.Errorf("AKIA2: %+v %v", key, ok)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err = %v, want one saying %q", err, tc.err)
			}
		})
	}
}

func TestLoadKeysNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	os.WriteFile(path, []byte(`[]`), 0o600)
	if _, err := LoadKeys(path); err == nil || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("err = %v", err)
	}
	if _, err := LoadKeys(path + ".missing"); err == nil {
		t.Error("a missing file loaded")
	}
}
