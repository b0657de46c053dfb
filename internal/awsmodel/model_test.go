package awsmodel

import "testing"

func TestMerge(t *testing.T) {
	m := &Model{
		Operations: map[string]*Operation{"Delete": {Name: "Delete", Input: &ShapeRef{Shape: "DeleteRequest"}}},
		Shapes: map[string]*Shape{
			"DeleteRequest": {Type: "structure", Members: map[string]*ShapeRef{"Id": {Shape: "String"}}},
			"Thing":         {Type: "structure", Members: map[string]*ShapeRef{"Id": {Shape: "String"}}, Required: []string{"Id"}},
			"String":        {Type: "string"},
		},
	}
	m.Merge(&Model{
		Operations: map[string]*Operation{"Delete": {Name: "Delete", Input: &ShapeRef{Shape: "DeleteRequest"}, Output: &ShapeRef{Shape: "DeleteResult"}}},
		Shapes: map[string]*Shape{
			"DeleteResult": {Type: "structure", Members: map[string]*ShapeRef{"Return": {Shape: "String"}}},
			"Thing":        {Type: "structure", Members: map[string]*ShapeRef{"Arn": {Shape: "String", LocationName: "arn"}}},
		},
	})
	if m.Operations["Delete"].Output == nil || m.Shapes["DeleteResult"] == nil {
		t.Fatal("overlay operation or shape not merged")
	}
	thing := m.Shapes["Thing"]
	if thing.Members["Id"] == nil || thing.Members["Arn"].LocationName != "arn" || !thing.IsRequired("Id") {
		t.Fatalf("structure members not merged: %+v", thing)
	}
}
