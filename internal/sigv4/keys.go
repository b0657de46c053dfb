package sigv4

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Key is one access key of a credentials file: its secret and the account
// it acts in.
type Key struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	Account         string `json:"account"`
}

// Keys are the access keys vpcemu knows, by access key id.
type Keys struct {
	byID map[string]Key
}

// LoadKeys reads a credentials file (see ParseKeys).
func LoadKeys(path string) (*Keys, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ParseKeys reads a JSON list of {"accessKeyId", "secretAccessKey",
// "account"}. Every member is required, the account has 12 digits, and an
// access key id appears once: a file that says otherwise is refused whole,
// naming the entry, rather than half-used.
func ParseKeys(data []byte) (*Keys, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list []Key
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("not a JSON list of {\"accessKeyId\", \"secretAccessKey\", \"account\"}: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("text after the JSON list")
	}
	if len(list) == 0 {
		return nil, errors.New("no keys: the list is empty")
	}
	k := &Keys{byID: make(map[string]Key, len(list))}
	for i, key := range list {
		at := fmt.Sprintf("entry %d", i+1)
		if key.AccessKeyID != "" {
			at += fmt.Sprintf(" (%s)", key.AccessKeyID)
		}
		switch {
		case key.AccessKeyID == "":
			return nil, fmt.Errorf("%s: accessKeyId is missing or empty", at)
		case key.SecretAccessKey == "":
			return nil, fmt.Errorf("%s: secretAccessKey is missing or empty", at)
		case key.Account == "":
			return nil, fmt.Errorf("%s: account is missing or empty", at)
		}
		if _, ok := Account(key.Account); !ok {
			return nil, fmt.Errorf("%s: account %q is not 12 digits", at, key.Account)
		}
		if _, dup := k.byID[key.AccessKeyID]; dup {
			return nil, fmt.Errorf("%s: access key id %s is listed twice", at, key.AccessKeyID)
		}
		k.byID[key.AccessKeyID] = key
	}
	return k, nil
}

// Lookup finds an access key by id.
func (k *Keys) Lookup(accessKeyID string) (Key, bool) {
	key, ok := k.byID[accessKeyID]
	return key, ok
}

// Len is how many keys there are.
func (k *Keys) Len() int { return len(k.byID) }
