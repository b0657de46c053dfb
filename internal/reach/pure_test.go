package reach

import (
	"go/build"
	"strings"
	"testing"
)

// TestEngineIsPure checks that the engine reads only snapshots: no store,
// no HTTP, XML or SQL.
func TestEngineIsPure(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if imp == "net/http" || imp == "encoding/xml" || imp == "database/sql" || strings.HasSuffix(imp, "/internal/store") || strings.Contains(imp, "/internal/store/") {
			t.Errorf("the engine imports %s", imp)
		}
	}
}
