package sigv4

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// SessionPrefix starts every session token vpcemu issues.
const SessionPrefix = "vpcemu-"

// Sessions issues and recognises the temporary credentials of STS
// AssumeRole without keeping them: a session's secret is an HMAC, under a
// key made when the server starts, of its access key id and session token.
// A strict server so verifies requests signed with credentials it handed
// out, and with nothing else; a restart forgets them all.
type Sessions struct{ key []byte }

// NewSessions makes a new session key.
func NewSessions() *Sessions {
	key := make([]byte, 32)
	rand.Read(key)
	return &Sessions{key: key}
}

// Secret is the secret access key of the session (accessKeyID, token).
func (s *Sessions) Secret(accessKeyID, token string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(accessKeyID))
	m.Write([]byte{0})
	m.Write([]byte(token))
	return base64.RawStdEncoding.EncodeToString(m.Sum(nil))[:40] // an AWS secret's length
}

// lookup is the session key that signed with token, if token is one of ours.
func (s *Sessions) lookup(accessKeyID, token string) (Key, bool) {
	if s == nil || !strings.HasPrefix(token, SessionPrefix) {
		return Key{}, false
	}
	account, ok := Account(accessKeyID)
	if !ok {
		return Key{}, false
	}
	return Key{AccessKeyID: accessKeyID, SecretAccessKey: s.Secret(accessKeyID, token), Account: account}, true
}
