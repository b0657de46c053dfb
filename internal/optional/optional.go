// Package optional converts between plain Go values and the optional
// members of the generated AWS shapes, which are pointers so that absent
// (nil) differs from zero. A pointer to a value is Go's own new(v).
package optional

import "time"

// Value is *p, or the zero value when p is nil (absent).
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// String is s, or absent when s is empty.
func String(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Time is t in UTC, or absent when t is zero.
func Time(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
