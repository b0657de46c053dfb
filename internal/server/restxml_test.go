package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestRestXMLRouting: an unsigned rest-xml request reaches Route 53 by the
// API version its path starts with; a path no operation has gets Route
// 53's XML error envelope, and other paths still go to EC2.
func TestRestXMLRouting(t *testing.T) {
	e := emulatortest.Start(t)
	tests := []struct {
		name, method, path string
		status             int
		want               string
	}{
		{"list", "GET", "/2013-04-01/hostedzone", 200, `<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones/><IsTruncated>false</IsTruncated>`},
		{"no such zone", "GET", "/2013-04-01/hostedzone/Z0NOPE", 404, `<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z0NOPE</Message></Error>`},
		{"no such path", "GET", "/2013-04-01/nothing", 404, `<Code>UnknownOperationException</Code>`},
		{"a model operation vpcemu does not serve", "GET", "/2013-04-01/healthcheck", 400, `<Message>vpcemu does not implement route53:ListHealthChecks yet.</Message>`},
		{"another API version", "GET", "/2010-03-31/hostedzone", 400, `<Response><Errors><Error>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(tt.method, e.URL()+tt.path, nil)
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("%d %s, want %d with %s", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
}
