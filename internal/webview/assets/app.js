// vpcemu's web view: the map of the network (GET api/graph), a path
// drawn over it (POST /_vpcemu/analyze, the endpoint `vpcemu analyze`
// asks, worded by POST api/explain, the words `vpcemu analyze` prints),
// the details of a resource (GET api/resource), and live updates (the
// store's revision over server-sent events, GET api/events).
"use strict";
(function () {
  const api = (p) => "api/" + p;
  // Above this many VPCs, VPCs start collapsed and open on demand.
  const COLLAPSE_AT = 12;
  // Above this many nodes on screen, a grid replaces the layered layout,
  // which takes seconds there.
  const LAYERED_UP_TO = 600;

  const state = {
    accounts: [], regions: [], graph: null, byID: new Map(), alias: new Map(),
    expanded: new Set(), collapsedByUser: new Set(), touched: new Set(), selected: null,
    path: null, // {question, text}
    flows: [], // what the data plane carries now
    records: [], // the data plane's recent flow-log records, newest first
    order: [], // visible node ids in keyboard order
  };
  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k.nodeType ? k : String(k));
    return e;
  };
  const announce = (s) => { $("announce").textContent = s; };

  // ---- styles: a colour and a shape per kind (Okabe–Ito palette) ----
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const KINDS = {
    "vpc": { shape: "round-rectangle", color: "--blue", name: "VPC" },
    "remote-vpc": { shape: "round-rectangle", color: "--grey", name: "VPC not read" },
    "zone": { shape: "rectangle", color: "--grey", name: "availability zone" },
    "subnet": { shape: "round-rectangle", color: "--green", name: "subnet" },
    "instance": { shape: "round-rectangle", color: "--orange", name: "instance" },
    "interface": { shape: "diamond", color: "--grey", name: "network interface" },
    "nat-gateway": { shape: "hexagon", color: "--yellow", name: "NAT gateway" },
    "internet-gateway": { shape: "triangle", color: "--sky", name: "internet gateway" },
    "egress-only-gateway": { shape: "vee", color: "--sky", name: "egress-only gateway" },
    "vpn-gateway": { shape: "pentagon", color: "--purple", name: "virtual private gateway" },
    "endpoint": { shape: "diamond", color: "--blue", name: "interface endpoint" },
    "gwlb-endpoint": { shape: "diamond", color: "--purple", name: "GWLB endpoint" },
    "gateway-endpoint": { shape: "tag", color: "--green", name: "gateway endpoint" },
    "load-balancer": { shape: "octagon", color: "--sky", name: "load balancer" },
    "endpoint-service": { shape: "rhomboid", color: "--blue", name: "endpoint service" },
    "aws-service": { shape: "ellipse", color: "--grey", name: "AWS service" },
    "virtual-interface": { shape: "concave-hexagon", color: "--purple", name: "Direct Connect VIF" },
    "dx-gateway": { shape: "pentagon", color: "--purple", name: "Direct Connect gateway" },
    "on-premises": { shape: "rectangle", color: "--grey", name: "on premises" },
    "hosted-zone": { shape: "round-tag", color: "--yellow", name: "private hosted zone" },
  };
  const EDGES = {
    "peering": { color: "--blue", style: "solid", width: 3, name: "peering" },
    "privatelink": { color: "--purple", style: "dashed", width: 2, name: "PrivateLink" },
    "service-lb": { color: "--purple", style: "solid", width: 2, name: "service → load balancer" },
    "target": { color: "--sky", style: "solid", width: 1.5, name: "load balancer → target" },
    "gateway-endpoint": { color: "--green", style: "dotted", width: 2, name: "gateway endpoint" },
    "direct-connect": { color: "--purple", style: "dashed", width: 2, name: "Direct Connect" },
    "zone-association": { color: "--yellow", style: "dotted", width: 2, name: "zone association" },
    "nat": { color: "--grey", style: "solid", width: 1, name: "NAT → internet gateway" },
  };
  function styles() {
    const fg = css("--fg"), bg = css("--bg"), muted = css("--muted");
    // In order, later rules winning: the defaults, each kind's shape and
    // colour, the containers, each link's colour and line, the states of
    // links, then what the page marks (selection, path, flows).
    const base = [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "color": fg, "text-wrap": "wrap", "text-max-width": 140,
        "text-valign": "bottom", "text-margin-y": 3, "width": 26, "height": 26, "border-width": 1.5, "border-color": fg, "background-color": bg } },
      { selector: ":parent", style: { "text-valign": "top", "text-halign": "center", "text-margin-y": -3, "padding": 12, "font-weight": "bold" } },
    ];
    const kinds = Object.entries(KINDS).map(([k, v]) => ({ selector: "node." + k, style: { "shape": v.shape, "background-color": css(v.color) } }));
    const containers = [
      { selector: "node.vpc:parent", style: { "background-color": css("--container"), "border-width": 2, "border-color": css("--blue") } },
      { selector: "node.vpc.collapsed", style: { "width": 170, "height": 70, "text-max-width": 160, "text-valign": "center", "text-halign": "center", "text-margin-y": 0,
        "background-color": css("--container"), "border-width": 2, "border-color": css("--blue"), "border-style": "double", "border-width": 4 } },
      { selector: "node.zone", style: { "background-color": css("--zone"), "border-style": "dashed", "border-color": muted, "font-weight": "normal" } },
      { selector: "node.subnet", style: { "background-color": css("--subnet"), "border-color": css("--green"), "font-weight": "normal" } },
      { selector: "edge", style: { "curve-style": "bezier", "width": 1.5, "line-color": muted, "target-arrow-shape": "triangle", "target-arrow-color": muted,
        "arrow-scale": .8, "label": "data(label)", "font-size": 9, "color": fg, "text-background-color": bg, "text-background-opacity": .85, "text-background-padding": 1 } },
    ];
    const links = Object.entries(EDGES).map(([k, v]) => ({ selector: "edge." + k, style: { "line-color": css(v.color), "target-arrow-color": css(v.color), "line-style": v.style, "width": v.width } }));
    const marks = [
      { selector: "edge.peering", style: { "target-arrow-shape": "none" } },
      { selector: "edge.peering.pending-acceptance, edge.peering.provisioning", style: { "line-style": "dashed" } },
      { selector: "edge.peering.rejected, edge.peering.deleted, edge.peering.expired, edge.peering.failed", style: { "line-style": "dotted", "opacity": .6 } },
      { selector: ":selected", style: { "overlay-color": css("--focus"), "overlay-opacity": .25, "overlay-padding": 4 } },
      { selector: "node.focus", style: { "overlay-color": css("--focus"), "overlay-opacity": .35, "overlay-padding": 6 } },
      { selector: ".dim", style: { "opacity": .35 } },
      { selector: "node.on-path", style: { "border-width": 4, "border-color": css("--path") } },
      { selector: "node.on-return", style: { "border-width": 4, "border-color": css("--return") } },
      { selector: "node.blocked", style: { "border-width": 5, "border-style": "dashed", "border-color": css("--blocked"), "color": css("--blocked"), "font-weight": "bold" } },
      { selector: "edge.hop", style: { "width": 3.5, "line-color": css("--path"), "target-arrow-color": css("--path"), "target-arrow-shape": "triangle", "curve-style": "unbundled-bezier",
        "control-point-distances": 30, "label": "data(label)", "font-weight": "bold", "z-index": 10 } },
      { selector: "edge.hop.return", style: { "line-color": css("--return"), "target-arrow-color": css("--return"), "line-style": "dashed", "control-point-distances": -30 } },
      { selector: "edge.flow", style: { "line-color": css("--orange"), "target-arrow-color": css("--orange"), "line-style": "dotted", "width": 4,
        "curve-style": "unbundled-bezier", "control-point-distances": 50, "font-weight": "bold", "z-index": 9 } },
      { selector: "edge.flow.stalled", style: { "opacity": .5 } },
      { selector: "edge.on-path", style: { "width": 5, "line-color": css("--path") } },
      { selector: "edge.blocked", style: { "width": 5, "line-color": css("--blocked"), "target-arrow-color": css("--blocked"), "line-style": "dashed" } },
    ];
    return [...base, ...kinds, ...containers, ...links, ...marks];
  }

  // ---- the map ----
  const cy = cytoscape({ container: $("cy"), style: styles(), wheelSensitivity: .3, minZoom: .05, maxZoom: 3, boxSelectionEnabled: false });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => cy.style(styles()));

  function legend() {
    const ul = $("legend");
    ul.replaceChildren();
    const present = new Set(state.graph ? state.graph.nodes.map((n) => n.kind) : []);
    const edges = new Set(state.graph ? state.graph.edges.map((e) => e.kind) : []);
    for (const [k, v] of Object.entries(KINDS)) {
      if (present.has(k)) ul.append(el("li", {}, el("span", { class: "sw", style: `background:${css(v.color)}` }), `${v.name} (${v.shape})`));
    }
    for (const [k, v] of Object.entries(EDGES)) {
      if (edges.has(k)) ul.append(el("li", {}, el("span", { class: "sw", style: `background:${css(v.color)};height:3px` }), `${v.name} (${v.style})`));
    }
    if (state.flows.length) ul.append(el("li", {}, el("span", { class: "sw", style: `background:${css("--orange")};height:3px` }), "live flow (dotted, with its bytes)"));
  }

  // many says VPCs start collapsed; inside counts what each VPC holds
  // (both set by index(), once per map).
  function collapsed(vpc) {
    if (!vpc) return false;
    return state.many ? !state.expanded.has(vpc) : state.collapsedByUser.has(vpc);
  }
  function index() {
    state.byID = new Map(state.graph.nodes.map((n) => [n.id, n]));
    state.alias = new Map();
    state.inside = new Map();
    let vpcs = 0;
    for (const n of state.graph.nodes) {
      for (const a of n.aliases || []) state.alias.set(a, n.id);
      if (n.kind === "vpc") vpcs++;
      else if (n.vpc) state.inside.set(n.vpc, (state.inside.get(n.vpc) || 0) + 1);
    }
    state.many = vpcs > COLLAPSE_AT;
  }
  // shown is the node that stands for id on screen: itself, or its VPC
  // when the VPC is collapsed.
  function shown(id) {
    let n = state.byID.get(id) || state.byID.get(state.alias.get(id));
    if (!n) return null;
    if (n.kind !== "vpc" && collapsed(n.vpc) && state.byID.has(n.vpc)) return n.vpc;
    return n.id;
  }

  function nodeLabel(n) {
    const name = n.label !== n.id ? n.label : "";
    switch (n.kind) {
      case "vpc": {
        let s = (name ? name + "\n" : "") + n.id + "\n" + (n.cidrs || []).join(", ");
        if (collapsed(n.id)) s += "\n(" + (state.inside.get(n.id) || 0) + " inside, open to show)";
        return s;
      }
      case "zone": return n.label;
      case "subnet": return (name ? name + " " : "") + (n.cidrs || []).join(" ") + "\n" + n.id;
      default: return (name || n.id) + (n.addresses && n.addresses.length ? "\n" + n.addresses[0] : "");
    }
  }

  function elements() {
    const els = [];
    const seen = new Set();
    for (const n of state.graph.nodes) {
      if (n.kind !== "vpc" && collapsed(n.vpc)) continue;
      const classes = [n.kind, n.state || ""];
      if (n.kind === "vpc" && collapsed(n.id)) classes.push("collapsed");
      const data = { id: n.id, label: nodeLabel(n), kind: n.kind };
      if (n.parent && !(n.kind === "vpc") && state.byID.has(n.parent)) data.parent = n.parent;
      els.push({ group: "nodes", data, classes: classes.join(" ") });
      seen.add(n.id);
    }
    const edgeIDs = new Set();
    for (const e of state.graph.edges) {
      const s = shown(e.source), t = shown(e.target);
      if (!s || !t || s === t) continue;
      const id = s === e.source && t === e.target ? e.id : e.kind + ":" + s + ">" + t;
      if (edgeIDs.has(id)) continue;
      edgeIDs.add(id);
      els.push({ group: "edges", data: { id, source: s, target: t, label: e.label || "", kind: e.kind }, classes: [e.kind, e.state || ""].join(" ") });
    }
    return els;
  }

  // layout places the map: ELK's layered layout for what is open (VPCs
  // drawn with their insides, and what is outside VPCs); collapsed VPCs,
  // when there are many, go in a plain grid below it, placed directly (a
  // layout engine would spend seconds on a thousand boxes that do not
  // connect).
  function layout(done) {
    const all = cy.elements().not(".hop, .flow");
    const shut = state.many ? cy.nodes(".vpc.collapsed") : cy.collection();
    const open = all.difference(shut).difference(shut.connectedEdges());
    const finish = () => {
      if (shut.nonempty()) {
        const bb = open.nodes().nonempty() ? open.boundingBox() : { x1: 0, y2: -100 };
        const cols = Math.max(1, Math.ceil(Math.sqrt(shut.length * 2)));
        const w = 200, h = 100;
        cy.batch(() => shut.positions((n, i) => ({ x: bb.x1 + w / 2 + (i % cols) * w, y: bb.y2 + 100 + Math.floor(i / cols) * h })));
      }
      cy.fit(undefined, 20);
      done && done();
    };
    const nodes = open.nodes().length;
    if (!nodes) return finish();
    const opts = nodes > LAYERED_UP_TO
      ? { name: "grid", fit: false, avoidOverlap: true, animate: false, condense: true }
      : { name: "elk", fit: false, animate: false, nodeDimensionsIncludeLabels: true,
          elk: { "algorithm": "layered", "elk.direction": "RIGHT", "elk.hierarchyHandling": "INCLUDE_CHILDREN",
            "elk.layered.spacing.nodeNodeBetweenLayers": 70, "elk.spacing.nodeNode": 70, "elk.padding": "[top=40,left=20,bottom=20,right=20]",
            "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES" } };
    const l = open.layout(opts);
    l.one("layoutstop", finish);
    l.run();
  }

  function render(done) {
    const t0 = performance.now();
    index();
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements());
    });
    const t1 = performance.now();
    layout(() => {
      document.body.dataset.layoutMs = Math.round(performance.now() - t1);
      state.order = cy.nodes().sort((a, b) => a.position("y") - b.position("y") || a.position("x") - b.position("x")).map((n) => n.id());
      if (state.selected && cy.getElementById(state.selected).nonempty()) cy.getElementById(state.selected).select();
      if (state.path && state.path.text) drawPath(state.path.text);
      drawFlows();
      document.body.dataset.renderMs = Math.round(performance.now() - t0);
      document.body.dataset.revision = state.graph.revision;
      done && done();
    });
    legend();
    // The table and the search list wait until the map is drawn.
    setTimeout(() => { tables(); targets(); }, 0);
  }

  // ---- loading and live updates ----
  const scopeQuery = () => "account=" + encodeURIComponent(state.accounts.join(",")) + "&region=" + encodeURIComponent(state.regions.join(","));
  async function getJSON(url, opts) {
    const r = await fetch(url, opts);
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((body.code ? body.code + ": " : "") + (body.message || r.statusText));
    return body;
  }
  let loading = null;
  async function loadGraph() {
    if (loading) { loading.again = true; return loading.p; }
    loading = { again: false };
    loading.p = (async () => {
      const t0 = performance.now();
      try {
        do {
          loading.again = false;
          state.graph = await getJSON(api("graph?" + scopeQuery()));
          collapseDefaults();
          await new Promise((res) => render(res));
        } while (loading.again);
        document.body.dataset.loadMs = Math.round(performance.now() - t0);
        if (state.path) await analyze(state.path.question, true);
      } catch (err) {
        $("live").textContent = "error: " + err.message;
      } finally {
        loading = null;
      }
    })();
    return loading.p;
  }

  function listen() {
    const es = new EventSource(api("events"));
    es.addEventListener("revision", (ev) => {
      $("live").textContent = "live · revision " + ev.data;
      $("live").className = "live on";
      if (state.graph && String(state.graph.revision) !== ev.data) loadGraph();
    });
    es.onerror = () => { $("live").textContent = "offline (retrying)"; $("live").className = "live off"; };
  }

  // ---- live flows: what the data plane carries now (POST /_vpcemu/flows,
  // the endpoint `vpcemu flows` asks), drawn as edges between instances ----
  const FLOWS_EVERY = 2000;
  function kb(n) { return n < 1024 ? n + " B" : n < 1 << 20 ? (n / 1024).toFixed(1) + " KB" : (n / (1 << 20)).toFixed(1) + " MB"; }
  async function pollFlows() {
    const seen = new Map();
    try {
      for (const account of state.accounts) {
        const r = await fetch("/_vpcemu/flows?X-Amz-Credential=" + encodeURIComponent(credential(account)), {
          method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
        const body = await r.json();
        if (!r.ok) {
          $("flows-status").textContent = "flows: " + (body.code === "DataPlaneUnavailable" ? "data plane off" : body.message);
          state.flows = [];
          drawFlows();
          return; // the data plane does not start later: stop asking
        }
        for (const f of body.flows) seen.set(f.instance + f.src + f.dst + f.started, f);
      }
      state.flows = [...seen.values()];
      $("flows-status").textContent = "flows: " + state.flows.length;
      drawFlows();
    } catch (err) {
      $("flows-status").textContent = "flows: " + err.message;
    }
    setTimeout(pollFlows, FLOWS_EVERY);
  }
  // ---- recent flow-log records (POST /_vpcemu/flow-records): what the
  // interfaces logged in the data plane's closed windows, whether or not a
  // flow log keeps them ----
  const RECORDS_EVERY = 5000;
  const PROTOCOLS = { 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6" };
  function recordRow(r) {
    return [new Date(r.end).toLocaleTimeString(), r.interface, r.direction, `${r.src}:${r.srcPort}`, `${r.dst}:${r.dstPort}`,
      PROTOCOLS[r.protocol] || String(r.protocol), String(r.packets), kb(r.bytes), r.action];
  }
  async function pollRecords() {
    const all = [];
    try {
      for (const account of state.accounts) {
        const r = await fetch("/_vpcemu/flow-records?X-Amz-Credential=" + encodeURIComponent(credential(account)), {
          method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
        if (!r.ok) return; // the data plane is off: flows says so
        all.push(...(await r.json()).records);
      }
    } catch (err) {
      setTimeout(pollRecords, RECORDS_EVERY);
      return;
    }
    all.sort((a, b) => (a.end < b.end ? 1 : -1));
    state.records = all;
    const rows = all.slice(0, 100).map((r) => el("tr", { class: r.action === "REJECT" ? "reject" : "" }, ...recordRow(r).map((c, i) => el("td", i === 1 ? { class: "id" } : {}, c))));
    $("record-table").tBodies[0].replaceChildren(...rows);
    setTimeout(pollRecords, RECORDS_EVERY);
  }
  // recordsOf are the recent records of a resource's interfaces.
  function recordsOf(d) {
    const a = d.attributes || {};
    const enis = new Set([d.id, ...(a.NetworkInterfaceIDs || [])]); // an interface's own, an endpoint's

    return state.records.filter((r) => enis.has(r.interface) || r.instance === d.id).slice(0, 20);
  }

  function drawFlows() {
    const had = cy.edges(".flow").nonempty();
    cy.remove(".flow");
    const edges = [];
    state.flows.forEach((f, i) => {
      // Along its path: the nodes its hops stand for, then where it arrives.
      const ids = [];
      for (const id of [f.instance, ...f.path, f.to]) {
        const s = id && shown(id);
        if (s && ids[ids.length - 1] !== s) ids.push(s);
      }
      const label = `${f.protocol} ${f.delivered.split(":").pop()} · ↑${kb(f.bytesOut)} ↓${kb(f.bytesIn)}${f.stalled ? " (stalled)" : ""}`;
      for (let j = 1; j < ids.length; j++) {
        edges.push({ group: "edges", data: { id: `flow:${i}:${j}`, source: ids[j - 1], target: ids[j], label: j === 1 ? label : "" },
          classes: "flow" + (f.stalled ? " stalled" : "") });
      }
    });
    cy.add(edges);
    if (had !== edges.length > 0) legend();
    const rows = state.flows.map((f) => el("tr", {}, el("td", {}, f.protocol), el("td", { class: "id" }, f.instance), el("td", { class: "id" }, f.src + " → " + f.dst),
      el("td", { class: "id" }, f.to || "(internet)"), el("td", {}, kb(f.bytesOut) + " / " + kb(f.bytesIn)), el("td", { class: "id" }, f.path.join(" › ")), el("td", {}, f.stalled ? "stalled" : "")));
    $("flow-table").tBodies[0].replaceChildren(...rows);
  }

  // ---- selection, keyboard ----
  function select(id, opts) {
    opts = opts || {};
    state.selected = id;
    cy.nodes(".focus").removeClass("focus");
    const n = cy.getElementById(id);
    if (n.nonempty()) {
      cy.$(":selected").unselect();
      n.select().addClass("focus");
      if (opts.center) cy.animate({ center: { eles: n }, duration: 150 });
    }
    for (const tr of document.querySelectorAll("tbody tr.selected")) tr.classList.remove("selected");
    const node = state.byID.get(id);
    if (node) announce(`${KINDS[node.kind] ? KINDS[node.kind].name : node.kind} ${node.label} ${node.id}`);
    if (opts.details !== false) details(id);
  }
  // A default VPC that holds nothing but what AWS put there (subnets and
  // an internet gateway) starts collapsed: it is noise next to what the
  // user built. Once opened or closed by hand, it stays so.
  function collapseDefaults() {
    const busy = new Set(state.graph.nodes.filter((n) => n.vpc && !["vpc", "zone", "subnet", "internet-gateway"].includes(n.kind)).map((n) => n.vpc));
    for (const n of state.graph.nodes) {
      if (n.kind === "vpc" && n.detail === "default VPC" && !busy.has(n.id) && !state.touched.has(n.id)) state.collapsedByUser.add(n.id);
    }
  }
  function toggle(vpc) {
    state.touched.add(vpc);
    if (state.many) state.expanded.has(vpc) ? state.expanded.delete(vpc) : state.expanded.add(vpc);
    else state.collapsedByUser.has(vpc) ? state.collapsedByUser.delete(vpc) : state.collapsedByUser.add(vpc);
    render(() => {
      select(vpc, { details: false });
      // Opened: show it close enough to read; closed: the whole map.
      if (!collapsed(vpc)) cy.fit(cy.getElementById(vpc), 60);
    });
  }
  cy.on("tap", "node", (ev) => {
    const id = ev.target.id();
    if (ev.target.hasClass("collapsed")) toggle(id);
    else select(id);
  });
  cy.on("tap", "edge", (ev) => { const id = ev.target.id(); if (state.byID.has(id) || /^pcx-/.test(id)) details(id); });
  $("cy").addEventListener("keydown", (ev) => {
    const i = state.order.indexOf(state.selected);
    const move = (d) => { ev.preventDefault(); if (state.order.length) select(state.order[(i + d + state.order.length) % state.order.length], { center: true, details: false }); };
    switch (ev.key) {
      case "ArrowRight": case "ArrowDown": return move(1);
      case "ArrowLeft": case "ArrowUp": return move(-1);
      case "Enter":
        if (!state.selected) return;
        ev.preventDefault();
        // Enter opens a collapsed VPC too; Shift+Enter closes an open one.
        if (cy.getElementById(state.selected).hasClass("collapsed") || state.byID.get(state.selected)?.kind === "vpc" && ev.shiftKey) toggle(state.selected);
        return details(state.selected);
      case "s": if (state.selected) { $("path-from").value = state.selected; announce("source " + state.selected); } return;
      case "d": if (state.selected) { $("path-to").value = state.selected; announce("destination " + state.selected); } return;
      case "+": case "=": cy.zoom(cy.zoom() * 1.2); return;
      case "-": cy.zoom(cy.zoom() / 1.2); return;
      case "0": cy.fit(undefined, 20); return;
      case "Escape": cy.$(":selected").unselect(); state.selected = null; return;
    }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.matches("input, select, textarea")) return;
    if (ev.key === "/") { ev.preventDefault(); $("path-from").focus(); }
    if (ev.key === "t") { showView($("table-view").hidden ? "table" : "map"); }
  });
  function showView(which) {
    const table = which === "table";
    $("table-view").hidden = !table;
    $("map-view").hidden = table;
    $("tab-map").setAttribute("aria-selected", String(!table));
    $("tab-table").setAttribute("aria-selected", String(table));
    if (!table) { cy.resize(); $("cy").focus(); }
  }
  $("tab-map").addEventListener("click", () => showView("map"));
  $("tab-table").addEventListener("click", () => showView("table"));

  // ---- the table view ----
  function tables() {
    const g = state.graph;
    const name = (id) => { const n = state.byID.get(id); return n && n.label !== n.id ? `${n.label} (${n.id})` : id; };
    const rows = g.nodes.filter((n) => n.kind !== "zone").map((n) => {
      const tr = el("tr", { tabindex: 0, "data-id": n.id },
        el("td", {}, KINDS[n.kind] ? KINDS[n.kind].name : n.kind), el("td", { class: "id" }, n.id), el("td", {}, n.label !== n.id ? n.label : ""),
        el("td", { class: "id" }, n.kind === "vpc" ? "" : (n.parent || "").replace(/^vpc-[0-9a-f]+\//, "")), el("td", {}, n.account || ""),
        el("td", { class: "id" }, [...(n.cidrs || []), ...(n.addresses || []), ...(n.dnsNames || [])].join(" ")), el("td", {}, n.state || ""));
      const open = () => { tr.classList.add("selected"); select(n.id); };
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
      return tr;
    });
    $("node-table").tBodies[0].replaceChildren(...rows);
    $("edge-table").tBodies[0].replaceChildren(...g.edges.map((e) => el("tr", { tabindex: 0, "data-id": e.id },
      el("td", {}, EDGES[e.kind] ? EDGES[e.kind].name : e.kind), el("td", { class: "id" }, name(e.source)), el("td", { class: "id" }, name(e.target)), el("td", {}, e.label || ""))));
  }

  // ---- search: a node by id, Name tag, address or DNS name ----
  function targets() {
    const opts = [];
    for (const n of state.graph.nodes) {
      if (["zone", "remote-vpc", "on-premises", "hosted-zone", "aws-service"].includes(n.kind)) continue;
      opts.push(el("option", { value: n.id }, `${n.label !== n.id ? n.label + " — " : ""}${(n.addresses || [])[0] || ""} ${KINDS[n.kind] ? KINDS[n.kind].name : n.kind}`));
      for (const d of n.dnsNames || []) opts.push(el("option", { value: d }, `${n.label} DNS name`));
    }
    $("targets").replaceChildren(...opts);
  }
  // resolve turns what was typed into what the analyze endpoint takes: an
  // id as it is, a Name tag as its resource's id, an address or a DNS
  // name as it is.
  function resolve(text) {
    const t = text.trim();
    if (state.byID.has(t) || state.alias.has(t)) return t;
    const lower = t.toLowerCase();
    const named = state.graph.nodes.filter((n) => n.label.toLowerCase() === lower && n.kind !== "zone");
    if (named.length) return (named.find((n) => n.kind === "instance") || named[0]).id;
    return t;
  }

  // ---- the path ----
  function credential(account, region) {
    // The analyze endpoint finds its caller as AWS calls do; a page has no
    // keys, so it names the account and region in a credential scope, as
    // a presigned URL does (vpcemu checks signatures only when started
    // with --verify-signatures).
    const d = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    return `${account || state.accounts[0]}/${d}/${region || state.regions[0]}/ec2/aws4_request`;
  }
  async function analyze(question, again) {
    const out = $("path-result");
    if (!again) out.replaceChildren(el("p", { class: "muted" }, "asking…"));
    try {
      // The question is the source's owner's, as in the console: find it.
      const src = state.byID.get(question.from) || state.byID.get(state.alias.get(question.from)) ||
        state.graph.nodes.find((n) => (n.addresses || []).includes(question.from));
      const r = await fetch("/_vpcemu/analyze?X-Amz-Credential=" + encodeURIComponent(credential(src && src.account, src && src.region)), {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(question) });
      const answer = await r.text();
      if (!r.ok) { const e = JSON.parse(answer); throw new Error(e.code + ": " + e.message); }
      const text = await getJSON(api("explain"), { method: "POST", headers: { "Content-Type": "application/json" }, body: answer });
      state.path = { question, text };
      showPath(text);
      drawPath(text);
      document.body.dataset.path = text.found ? "reachable" : "blocked";
    } catch (err) {
      state.path = again ? state.path : null;
      out.replaceChildren(el("p", { class: "error" }, err.message));
      document.body.dataset.path = "error";
    }
  }
  $("path-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = { from: resolve($("path-from").value), to: resolve($("path-to").value) };
    if ($("path-protocol").value !== "tcp") q.protocol = $("path-protocol").value;
    if ($("path-port").value) q.port = Number($("path-port").value);
    analyze(q);
  });
  $("path-clear").addEventListener("click", () => {
    state.path = null;
    clearPath();
    $("path-result").replaceChildren();
    delete document.body.dataset.path;
  });

  function hopLink(h) {
    return el("a", { href: "#", "data-id": h.id, onclick: (ev) => { ev.preventDefault(); const s = shown(h.id); if (s) select(s, { center: true, details: false }); details(h.id); } }, h.name);
  }
  function hopList(title, hops, blocked) {
    if (!hops.length && !blocked) return [];
    const ol = el("ol", { class: "hops" }, hops.map((h) => el("li", { value: h.seq, "data-id": h.id }, h.kind + " ", hopLink(h), h.detail ? el("div", { class: "muted" }, h.detail) : null)));
    if (blocked) ol.append(el("li", { class: "blocked-hop", "data-id": blocked.id }, blocked.kind + " ", hopLink(blocked), blocked.detail ? el("div", {}, blocked.detail) : null));
    return [el("h3", {}, title), ol];
  }
  function showPath(t) {
    const blockedOn = t.found ? "" : t.blockedOn;
    const parts = [
      el("p", { class: "verdict " + (t.found ? "reachable" : "blocked"), id: "path-verdict" }, t.found ? "reachable" + (t.summary ? ": " + t.summary : "") : "blocked"),
      ...hopList("Forward path", t.forward, blockedOn === "forward" ? t.blocked : null),
      ...hopList("Return path", t.return, blockedOn === "return" ? t.blocked : null),
    ];
    t.why.forEach((s, i) => parts.push(el("p", { class: "why", id: i === 0 ? "path-why" : undefined }, (i ? "also: " : "blocked: ") + s)));
    $("path-result").replaceChildren(...parts);
  }
  function clearPath() {
    cy.remove(".hop");
    cy.elements().removeClass("on-path on-return blocked dim");
  }
  function drawPath(t) {
    clearPath();
    const chain = (hops) => {
      const ids = [];
      for (const h of hops) { const s = shown(h.id); if (s && ids[ids.length - 1] !== s) ids.push(s); }
      return ids;
    };
    const fwd = chain(t.forward), ret = chain(t.return);
    let where = null;
    if (!t.found && t.blocked) {
      // The block is drawn where it happened, at the end of its path.
      const on = t.blockedOn === "return" ? ret : fwd;
      where = shown(t.blocked.id) || (t.blocked.at && shown(t.blocked.at)) || on[on.length - 1];
      if (where && on[on.length - 1] !== where) on.push(where);
    }
    cy.batch(() => {
      const mark = (ids, cls, hops) => {
        ids.forEach((id, i) => {
          cy.getElementById(id).addClass(cls);
          if (i > 0) cy.add({ group: "edges", data: { id: `hop:${cls}:${i}`, source: ids[i - 1], target: id, label: String(i) }, classes: "hop" + (cls === "on-return" ? " return" : "") });
        });
        for (const h of hops) if (/^pcx-/.test(h.id)) cy.getElementById(h.id).addClass("on-path");
      };
      mark(fwd, "on-path", t.forward);
      mark(ret, "on-return", t.return);
      if (where) {
        cy.getElementById(where).addClass("blocked");
        cy.edges(".hop").filter((e) => e.target().id() === where && e.hasClass("return") === (t.blockedOn === "return")).addClass("blocked");
      }
      if (!t.found && t.blocked && /^pcx-/.test(t.blocked.id)) cy.getElementById(t.blocked.id).addClass("blocked");
    });
  }

  // ---- details ----
  function attrs(obj) {
    const dl = el("dl", { class: "attrs" });
    for (const [k, v] of Object.entries(obj || {})) {
      if (k === "Tags" || v === null || v === "" || (Array.isArray(v) && !v.length)) continue;
      dl.append(el("dt", {}, k), el("dd", {}, typeof v === "object" ? el("code", {}, JSON.stringify(v)) : String(v)));
    }
    return dl;
  }
  const table = (head, rows) => el("table", {}, el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", {}, c))))));
  let asked = 0;
  async function details(id) {
    const box = $("details");
    const mine = ++asked; // only the last asked answers
    try {
      const d = await getJSON(api("resource?" + scopeQuery() + "&id=" + encodeURIComponent(id)));
      if (mine !== asked) return;
      const parts = [el("h2", { id: "details-title" }, (KINDS[d.kind] ? KINDS[d.kind].name : d.kind) + " ", el("span", { class: "id" }, d.id)),
        el("p", { class: "muted" }, `account ${d.account} · ${d.region}`),
        el("div", { class: "row" },
          el("button", { type: "button", onclick: () => { $("path-from").value = d.id; } }, "Use as source"),
          el("button", { type: "button", onclick: () => { $("path-to").value = d.id; } }, "Use as destination"),
          d.kind === "vpc" ? el("button", { type: "button", onclick: () => toggle(d.id) }, collapsed(d.id) ? "Open" : "Collapse") : null)];
      if (d.tags.length) parts.push(el("h3", {}, "Tags"), table(["Key", "Value"], d.tags.map((t) => [t.Key, t.Value])));
      for (const g of d.securityGroups || []) {
        parts.push(el("h3", {}, `Security group ${g.name} `, el("span", { class: "id" }, g.id)));
        parts.push(table(["Direction", "Protocol", "Ports", "Peer", "Description"], [
          ...g.ingress.map((r) => ["in", r.protocol, r.ports, r.peer, r.description || ""]),
          ...g.egress.map((r) => ["out", r.protocol, r.ports, r.peer, r.description || ""])]));
      }
      if (d.networkAcl) {
        parts.push(el("h3", {}, "Network ACL ", el("span", { class: "id" }, d.networkAcl.id), " (evaluated in order)"));
        parts.push(table(["Direction", "Rule", "Protocol", "Ports", "Block", "Action"], [
          ...d.networkAcl.inbound.map((e) => ["in", e.rule, e.protocol, e.ports, e.block, e.action]),
          ...d.networkAcl.outbound.map((e) => ["out", e.rule, e.protocol, e.ports, e.block, e.action])]));
      }
      if (d.routeTable) {
        parts.push(el("h3", {}, "Route table ", el("span", { class: "id" }, d.routeTable.id), d.routeTable.main ? " (main)" : ""));
        parts.push(table(["Destination", "Target", "Origin", "State"], d.routeTable.routes.map((r) => [r.destination, r.target, r.origin, r.state])));
      }
      if (d.policy) parts.push(el("h3", {}, "Endpoint policy"), el("pre", {}, JSON.stringify(JSON.parse(d.policy), null, 2)));
      if (d.cost && d.cost.length) {
        const usd = (v) => v > 0 && v < 0.005 ? "<$0.01" : "$" + v.toFixed(2);
        const month = d.cost.reduce((sum, l) => sum + l.amount, 0);
        parts.push(el("h3", {}, `Cost: ${usd(month)} a month (vpcemu cost)`),
          table(["Charge", "Quantity", "Unit", "Rate", "Amount"], d.cost.map((l) =>
            l.free ? [l.what, "", "", "", "free"] : [l.what, String(+l.quantity.toPrecision(6)), l.unit, "$" + l.rate, usd(l.amount)])));
      }
      const recs = recordsOf(d);
      if (recs.length) parts.push(el("h3", {}, "Recent flow-log records"),
        table(["End", "Interface", "Direction", "Source", "Destination", "Protocol", "Packets", "Bytes", "Action"], recs.map(recordRow)));
      parts.push(el("h3", {}, "Attributes"), attrs(d.attributes));
      box.replaceChildren(...parts);
    } catch (err) {
      if (mine !== asked) return;
      box.replaceChildren(el("h2", { id: "details-title" }, "Details"), el("p", { class: "error" }, err.message));
    }
  }

  // ---- start ----
  $("scope-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    state.accounts = $("accounts").value.split(/[\s,]+/).filter(Boolean);
    state.regions = $("regions").value.split(/[\s,]+/).filter(Boolean);
    const u = new URL(location.href);
    u.searchParams.set("account", state.accounts.join(","));
    u.searchParams.set("region", state.regions.join(","));
    history.replaceState(null, "", u);
    state.expanded.clear();
    loadGraph();
  });
  async function start() {
    const known = await getJSON(api("scopes"));
    const uniq = (xs) => [...new Set(xs)];
    $("account-list").replaceChildren(...uniq(known.scopes.map((s) => s.Account)).map((a) => el("option", { value: a })));
    $("region-list").replaceChildren(...uniq(known.scopes.map((s) => s.Region)).map((r) => el("option", { value: r })));
    const q = new URLSearchParams(location.search);
    state.accounts = (q.get("account") || known.caller.Account).split(",").filter(Boolean);
    state.regions = (q.get("region") || known.caller.Region).split(",").filter(Boolean);
    $("accounts").value = state.accounts.join(",");
    $("regions").value = state.regions.join(",");
    await loadGraph();
    listen();
    pollFlows();
    pollRecords();
  }
  window.vpcemu = { state, cy, select, toggle };
  start().catch((err) => { $("live").textContent = "error: " + err.message; });
})();
