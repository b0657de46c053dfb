package sqlite

import (
	"sync"

	"github.com/vpcemu/vpcemu/internal/store"
)

// recordCache keeps records that Views read by id, so that the next View
// reading one takes it from memory instead of running a query: most calls
// read records by id, and records change only through the one writer.
//
// An entry is exact for a View's snapshot, not merely recent:
//
//   - The writer drops a record's entry, and marks the record pending, when
//     it writes the record, before the write can commit. A pending record
//     is not cached again until its transaction has ended (committed or
//     rolled back) and the commit count has moved past it (settle).
//   - A View caches what it read only if nothing committed since it began
//     (the commit count is the one it started with) and the record is not
//     pending. Its snapshot holds every commit counted when it began, so the
//     record it read is the record as of that count, and still is.
//   - An entry notes the commit count it was read at (from); it is the
//     record at every count from there until the entry is dropped. A View
//     uses only entries no newer than its own start (from ≤ its count), and
//     its snapshot is pinned when it begins (see viewOn), so what it takes
//     from here agrees with what it reads from SQLite.
//
// The cache is bounded by the bytes it holds; past the bound, arbitrary
// entries go (Go's map iteration order), which keeps a read to a read lock.
type recordCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]cacheEntry
	pending map[cacheKey]struct{} // written in the open write transaction
	size    int                   // bytes held, roughly
	max     int
}

type cacheKey struct {
	kind store.Kind
	id   string
}

type cacheEntry struct {
	rec  *store.Record
	from uint64 // the commit count it was read at
	size int    // entrySize(rec), kept so evicting reads no record
}

// entryOverhead is roughly what an entry costs beyond its body and id (map
// slot, record, strings' headers).
const entryOverhead = 160

func newRecordCache(maxBytes int) *recordCache {
	return &recordCache{entries: map[cacheKey]cacheEntry{}, pending: map[cacheKey]struct{}{}, max: maxBytes}
}

func entrySize(r *store.Record) int {
	return len(r.Body) + len(r.ID) + len(r.Kind) + len(r.Scope.Account) + len(r.Scope.Region) + entryOverhead
}

// get returns the cached record kind/id if it is valid for a View that
// began at commit count gen.
func (c *recordCache) get(kind store.Kind, id string, gen uint64) (*store.Record, bool) {
	c.mu.RLock()
	e, ok := c.entries[cacheKey{kind, id}]
	c.mu.RUnlock()
	if !ok || e.from > gen {
		return nil, false
	}
	return e.rec, true
}

// add caches r, read by a View that began at commit count gen, unless a
// commit came since (now is the current count) or r is being written.
func (c *recordCache) add(r *store.Record, gen uint64, now func() uint64) {
	size := entrySize(r)
	if size > c.max/4 {
		return
	}
	k := cacheKey{r.Kind, r.ID}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, busy := c.pending[k]; busy || now() != gen {
		return
	}
	if old, ok := c.entries[k]; ok {
		delete(c.entries, k)
		c.size -= old.size
	}
	for k2, e := range c.entries {
		if c.size+size <= c.max {
			break
		}
		delete(c.entries, k2)
		c.size -= e.size
	}
	c.entries[k] = cacheEntry{rec: r, from: gen, size: size}
	c.size += size
}

// writing drops kind/id and marks it pending: the open write transaction
// writes it.
func (c *recordCache) writing(kind store.Kind, id string) {
	k := cacheKey{kind, id}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[k] = struct{}{}
	if e, ok := c.entries[k]; ok {
		delete(c.entries, k)
		c.size -= e.size
	}
}

// settle ends the pending marks once the write transaction has ended and
// the commit count has moved past it.
func (c *recordCache) settle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.pending)
}
