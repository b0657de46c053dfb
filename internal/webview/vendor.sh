#!/usr/bin/env bash
# Vendors the web view's JavaScript libraries, at the versions pinned here,
# from the npm registry into assets/vendor/ (embedded in the binary: the
# page fetches nothing from the internet). To update: change a version, run
# this script, commit what it wrote.
set -euo pipefail
cd "$(dirname "$0")"
CYTOSCAPE=3.35.0     # the graph: compound nodes, styles, events
ELKJS=0.12.2         # Eclipse Layout Kernel: the layered layout
CYTOSCAPE_ELK=2.3.0  # ELK as a Cytoscape layout
out=assets/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { # package version file-in-package target
	(cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
	tar -xzf "$tmp/${1//\//-}-$2.tgz" -C "$tmp" "package/$3"
	cp "$tmp/package/$3" "$out/$4"
	rm -rf "$tmp/package"
}
mkdir -p "$out"
fetch cytoscape "$CYTOSCAPE" dist/cytoscape.min.js cytoscape.min.js
fetch cytoscape "$CYTOSCAPE" LICENSE cytoscape.LICENSE
fetch elkjs "$ELKJS" lib/elk.bundled.js elk.bundled.js
fetch elkjs "$ELKJS" LICENSE.md elkjs.LICENSE
fetch cytoscape-elk "$CYTOSCAPE_ELK" dist/cytoscape-elk.js cytoscape-elk.js
fetch cytoscape-elk "$CYTOSCAPE_ELK" LICENSE cytoscape-elk.LICENSE
cat > "$out/VERSIONS" <<VERSIONS
cytoscape $CYTOSCAPE
elkjs $ELKJS
cytoscape-elk $CYTOSCAPE_ELK
VERSIONS
