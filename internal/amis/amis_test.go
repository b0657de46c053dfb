package amis

import (
	"regexp"
	"testing"
)

// TestIDs: ids are well-formed, unique, the same for a region every time
// and different in another region; Find finds each one, and nothing else.
func TestIDs(t *testing.T) {
	wellFormed := regexp.MustCompile(`^ami-[0-9a-f]{17}$`)
	snapshot := regexp.MustCompile(`^snap-[0-9a-f]{17}$`)
	seen := map[string]string{}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		again := In(region)
		for k, im := range In(region) {
			if !wellFormed.MatchString(im.ID) || im.ID != again[k].ID {
				t.Errorf("%s %s: id %s, then %s", region, im.Name, im.ID, again[k].ID)
			}
			if other, dup := seen[im.ID]; dup {
				t.Errorf("%s %s has the id of %s", region, im.Name, other)
			}
			seen[im.ID] = region + " " + im.Name
			root, ok := im.Root()
			if !ok || !snapshot.MatchString(root.SnapshotID) || root.Size < 8 {
				t.Errorf("%s %s: root %+v", region, im.Name, root)
			}
			if got, ok := Find(region, im.ID); !ok || got.Name != im.Name {
				t.Errorf("Find(%s, %s) = %v %v", region, im.ID, got.Name, ok)
			}
		}
	}
	if _, ok := Find("us-east-1", "ami-12345678"); ok {
		t.Error("found an id the catalogue lacks")
	}
}

func TestLocation(t *testing.T) {
	for _, tc := range []struct {
		im   Image
		want string
	}{
		{Image{Name: "al2023-ami-x", OwnerID: OwnerAmazon, OwnerAlias: AliasAmazon}, "amazon/al2023-ami-x"},
		{Image{Name: "debian-12-x", OwnerID: OwnerDebian}, OwnerDebian + "/debian-12-x"},
	} {
		if got := tc.im.Location(); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.im.Name, got, tc.want)
		}
	}
}
