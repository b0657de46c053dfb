// Package awsmodel reads the AWS API model files (api-2.json) that describe a
// service's operations, shapes and wire protocol. The code generator
// (cmd/apigen) is its only user: nothing at run time reads the model.
package awsmodel

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
)

// Model is one service's api-2.json.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`
}

// Metadata describes the service and its protocol.
type Metadata struct {
	APIVersion       string `json:"apiVersion"`
	EndpointPrefix   string `json:"endpointPrefix"`
	Protocol         string `json:"protocol"`
	ServiceID        string `json:"serviceId"`
	SigningName      string `json:"signingName"`
	TargetPrefix     string `json:"targetPrefix"`
	JSONVersion      string `json:"jsonVersion"`
	XMLNamespace     string `json:"xmlNamespace"`
	ServiceFullName  string `json:"serviceFullName"`
	GlobalEndpoint   string `json:"globalEndpoint"`
	SignatureVersion string `json:"signatureVersion"`
}

// Operation is one API action.
type Operation struct {
	Name   string    `json:"name"`
	HTTP   HTTP      `json:"http"`
	Input  *ShapeRef `json:"input"`
	Output *ShapeRef `json:"output"`
	// Errors are the error shapes the operation may answer.
	Errors []*ShapeRef `json:"errors"`
}

// HTTP is the operation's HTTP binding (used by the REST protocols).
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode"`
}

// ShapeRef points at a shape, with the wire attributes of that reference.
type ShapeRef struct {
	Shape            string `json:"shape"`
	LocationName     string `json:"locationName"`
	QueryName        string `json:"queryName"`
	Location         string `json:"location"`
	Flattened        bool   `json:"flattened"`
	XMLNamespace     any    `json:"xmlNamespace"`
	XMLAttribute     bool   `json:"xmlAttribute"`
	TimestampFormat  string `json:"timestampFormat"`
	IdempotencyToken bool   `json:"idempotencyToken"`
	JSONValue        bool   `json:"jsonvalue"`
	HostLabel        bool   `json:"hostLabel"`
	ResultWrapper    string `json:"resultWrapper"`
}

// Shape is a named type: structure, list, map or scalar.
type Shape struct {
	Type     string               `json:"type"`
	Members  map[string]*ShapeRef `json:"members"`
	Required []string             `json:"required"`
	// Optional is for overlays only: members the model requires that a
	// newer model no longer does (asn, once asnLong may replace it).
	Optional        []string  `json:"optional,omitempty"`
	Payload         string    `json:"payload"`
	Member          *ShapeRef `json:"member"`
	Key             *ShapeRef `json:"key"`
	Value           *ShapeRef `json:"value"`
	Enum            []string  `json:"enum"`
	Min             *float64  `json:"min"`
	Max             *float64  `json:"max"`
	Flattened       bool      `json:"flattened"`
	TimestampFormat string    `json:"timestampFormat"`
	LocationName    string    `json:"locationName"`
	Exception       bool      `json:"exception"`
	Error           *struct {
		Code           string `json:"code"`
		HTTPStatusCode int    `json:"httpStatusCode"`
		SenderFault    bool   `json:"senderFault"`
	} `json:"error"`
}

// Load reads and checks an api-2.json file.
func Load(path string) (*Model, error) {
	m, err := LoadFragment(path)
	if err != nil {
		return nil, err
	}
	for name, op := range m.Operations {
		for _, ref := range []*ShapeRef{op.Input, op.Output} {
			if ref != nil && m.Shapes[ref.Shape] == nil {
				return nil, fmt.Errorf("%s: operation %s refers to unknown shape %q", path, name, ref.Shape)
			}
		}
	}
	return m, nil
}

// LoadFragment reads a file in api-2.json form without checking that its
// references resolve: an overlay for Merge.
func LoadFragment(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &m, nil
}

// OperationNames lists every operation of the model, sorted.
func (m *Model) OperationNames() []string {
	names := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// MemberNames lists a structure's member names, sorted.
func (s *Shape) MemberNames() []string {
	names := make([]string, 0, len(s.Members))
	for n := range s.Members {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsRequired reports whether member is listed in the structure's required set.
func (s *Shape) IsRequired(member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}

// Merge lays an overlay over the model: members AWS added after the model
// file was published. Overlay operations replace the model's; overlay
// structures add (or replace) members of the model's shapes, add to their
// required members and take those they list as optional off it, and shapes
// the model lacks are added whole.
func (m *Model) Merge(o *Model) {
	for name, op := range o.Operations {
		m.Operations[name] = op
	}
	for name, s := range o.Shapes {
		base := m.Shapes[name]
		if base == nil || base.Type != "structure" || s.Type != "structure" {
			m.Shapes[name] = s
			continue
		}
		if base.Members == nil {
			base.Members = map[string]*ShapeRef{}
		}
		for member, ref := range s.Members {
			base.Members[member] = ref
		}
		base.Required = append(base.Required, s.Required...)
		base.Required = slices.DeleteFunc(base.Required, func(r string) bool { return slices.Contains(s.Optional, r) })
	}
}
