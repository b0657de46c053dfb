// Command gen writes internal/unserved/services.json: every AWS service of
// the API models in the Go module github.com/aws/aws-sdk-go (the version
// go.mod pins, as cmd/apigen reads them), with what vpcemu needs to refuse
// a request for it in the client's own protocol: the SigV4 signing name, the
// protocol, the API version, the JSON target prefix and version, the XML
// namespace, and for the REST protocols each operation's method and URI
// (a REST request names its operation by its path only).
//
// Usage (the //go:generate line of internal/unserved):
//
//	go run ./gen
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vpcemu/vpcemu/internal/awsmodel"
)

const modelModule = "github.com/aws/aws-sdk-go"

func main() {
	out, err := generate()
	if err == nil {
		err = os.WriteFile("services.json", out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "unserved/gen:", err)
		os.Exit(1)
	}
}

// Service is one entry of services.json (internal/unserved reads the same
// fields).
type Service struct {
	Model        string      `json:"model"` // models/apis/<model>/<version>
	Name         string      `json:"name"`  // serviceFullName
	SigningName  string      `json:"signingName"`
	Protocol     string      `json:"protocol"`
	APIVersion   string      `json:"apiVersion"`
	TargetPrefix string      `json:"targetPrefix,omitempty"`
	JSONVersion  string      `json:"jsonVersion,omitempty"`
	XMLNamespace string      `json:"xmlNamespace,omitempty"`
	Operations   [][3]string `json:"operations,omitempty"` // REST: method, request URI, name
}

func generate() ([]byte, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", modelModule)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("locating %s: %v", modelModule, err)
	}
	dir := filepath.Join(strings.TrimSpace(string(b)), "models", "apis")
	models, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var services []Service
	for _, m := range models {
		if !m.IsDir() {
			continue
		}
		versions, err := os.ReadDir(filepath.Join(dir, m.Name()))
		if err != nil {
			return nil, err
		}
		if len(versions) == 0 {
			continue
		}
		// Version directories are dates: the last is the current API.
		latest := versions[len(versions)-1].Name()
		model, err := awsmodel.Load(filepath.Join(dir, m.Name(), latest, "api-2.json"))
		if err != nil {
			return nil, err
		}
		services = append(services, service(m.Name(), model))
	}
	sort.Slice(services, func(i, j int) bool { return services[i].Model < services[j].Model })
	var out bytes.Buffer
	out.WriteString("[\n")
	for i, s := range services {
		line, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		out.Write(line)
		if i < len(services)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("]\n")
	return out.Bytes(), nil
}

func service(name string, m *awsmodel.Model) Service {
	md := m.Metadata
	s := Service{Model: name, Name: md.ServiceFullName, SigningName: md.SigningName, Protocol: md.Protocol,
		APIVersion: md.APIVersion, TargetPrefix: md.TargetPrefix, JSONVersion: md.JSONVersion, XMLNamespace: md.XMLNamespace}
	if s.SigningName == "" {
		s.SigningName = md.EndpointPrefix
	}
	if strings.HasPrefix(s.Protocol, "rest-") {
		for _, op := range m.OperationNames() {
			h := m.Operations[op].HTTP
			s.Operations = append(s.Operations, [3]string{h.Method, h.RequestURI, op})
		}
	}
	return s
}
