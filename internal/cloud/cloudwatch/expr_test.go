package cloudwatch

import "testing"

// TestPrecedence: * and / bind before + and -, each level from the left,
// and parentheses and unary minus as usual.
func TestPrecedence(t *testing.T) {
	env := func(id string) (value, error) {
		return value{scalar: true, v: map[string]float64{"a": 10, "b": 4, "c": 2}[id]}, nil
	}
	tests := []struct {
		expr string
		want float64
	}{
		{"a - b - c", 4},
		{"a / b / c", 1.25},
		{"a + b * c", 18},
		{"a - b / c * 3", 4},
		{"(a + b) * c", 28},
		{"-a + b", -6},
		{"a*2-c", 18},
	}
	for _, tc := range tests {
		n, _, err := parseExpression(tc.expr, "e1")
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got, err := n.eval(env)
		if err != nil || !got.scalar || got.v != tc.want {
			t.Errorf("%s = %+v (%v), want %v", tc.expr, got, err, tc.want)
		}
	}
}
