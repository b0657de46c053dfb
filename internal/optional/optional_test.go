package optional

import (
	"testing"
	"time"
)

func TestOptional(t *testing.T) {
	if Value[int32](nil) != 0 || Value(new(int32(7))) != 7 || Value[string](nil) != "" {
		t.Error("Value")
	}
	if String("") != nil || *String("a") != "a" {
		t.Error("String")
	}
	if Time(time.Time{}) != nil {
		t.Error("Time of zero")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	if got := Time(at); got.Location() != time.UTC || !got.Equal(at) {
		t.Errorf("Time: %v", got)
	}
}
