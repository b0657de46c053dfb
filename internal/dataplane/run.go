package dataplane

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/vpcemu/vpcemu/internal/awsproto"
	"github.com/vpcemu/vpcemu/internal/cloud"
	"github.com/vpcemu/vpcemu/internal/cloud/netview"
	"github.com/vpcemu/vpcemu/internal/controlapi"
)

// RunPath is where `vpcemu run` asks to play an instance: POST a RunRequest
// as JSON (signed as the instance's owner), get its RunConfig.
const RunPath = "/_vpcemu/run"

// RunRequest names the instance a process is to play, and how: Mode
// "proxy" for proxy mode (ModeProxy), "" for transparent mode (Linux).
// Listen are, in proxy mode, the ports the process serves as the
// instance: INSTANCE_PORT=127.0.0.1:PORT (loopback only; INSTANCE_PORT/udp
// for a UDP port).
type RunRequest struct {
	Instance string   `json:"instance"`
	Mode     string   `json:"mode,omitempty"`
	Listen   []string `json:"listen,omitempty"`
	// OnPremises and Via, instead of Instance, play a host on premises:
	// its address, behind a private Direct Connect virtual interface
	// (see onpremises.go).
	OnPremises string `json:"onPremises,omitempty"`
	Via        string `json:"via,omitempty"`
}

// ModeProxy is RunRequest's Mode for proxy mode.
const ModeProxy = "proxy"

// RunConfig is how the process's network is set up: its interface's
// addresses in its subnet, the subnet's router (the default route), the
// VPC's DNS server, its host name; and where to hand the fabric its TUN
// device with Token. In proxy mode, Proxy is the proxy's address, whose
// credentials are the instance and Token (see Proxy), and Listen the ports
// the process serves.
type RunConfig struct {
	Instance string `json:"instance"`
	// Via is, for a host on premises (Instance ""), the private virtual
	// interface it is behind; VPC and Gateway are then "" (the device is
	// the default route).
	Via       string   `json:"via,omitempty"`
	VPC       string   `json:"vpc"`
	Zone      string   `json:"zone"`
	Addresses []string `json:"addresses"` // CIDR notation: 10.0.1.10/24
	Gateway   string   `json:"gateway"`
	Resolver  string   `json:"resolver"`
	Hostname  string   `json:"hostname"`
	Search    string   `json:"search"`
	MTU       int      `json:"mtu"`
	Socket    string   `json:"socket"`
	Token     string   `json:"token"`
	Proxy     string   `json:"proxy,omitempty"`
	Listen    []string `json:"listen,omitempty"`
	// CACert is the certificate of vpcemu's local CA, which signs what the
	// AWS services with an upstream present; CABundle the system's roots
	// with it. `vpcemu run` points the usual variables at them.
	CACert   string `json:"caCert,omitempty"`
	CABundle string `json:"caBundle,omitempty"`
}

// Runs hands out run configurations and takes the TUN devices they name.
type Runs struct {
	live *netview.Live
	// socket is where TUN devices are handed over ("" off Linux); proxy
	// the proxy's address.
	socket, proxy string
	// caCert and caBundle are the local CA's files, when there is one.
	caCert, caBundle string
	log              *slog.Logger
	mu               sync.Mutex
	tokens           map[string]pending
	// sessions are the proxy mode's runs going on, by token.
	sessions map[string]*session
}

// pending is a run configuration handed out whose device has not come.
type pending struct {
	cfg     RunConfig
	expires time.Time
}

// MTU is the TUN devices' MTU.
const MTU = 1500

// ApplianceMTU is the MTU of an instance registered with a Gateway Load
// Balancer when its process starts: AWS's jumbo frames, room for a
// packet of MTU and GENEVE's overhead, so that an appliance sends back
// whole what it was sent.
const ApplianceMTU = 9001

// tokenTTL is how long a run configuration waits for its device.
const tokenTTL = time.Minute

// NewRuns serves run configurations whose devices come to socket.
func NewRuns(live *netview.Live, socket string, log *slog.Logger) *Runs {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Runs{live: live, socket: socket, log: log, tokens: map[string]pending{}}
}

// Handler answers RunPath for the caller the request names.
func (r *Runs) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var in RunRequest
		who, perr := controlapi.Decode(req, &in, `{"instance": "i-…"}`)
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		cfg, perr := r.config(req.Context(), who, in)
		if perr != nil {
			controlapi.Fail(w, perr)
			return
		}
		body, _ := json.Marshal(cfg)
		controlapi.Write(w, body)
	})
}

// config is the run configuration of an instance of the caller's that is
// running.
func (r *Runs) config(ctx context.Context, who cloud.Caller, in RunRequest) (RunConfig, *awsproto.Error) {
	if in.OnPremises != "" || in.Via != "" {
		return r.onPremisesConfig(ctx, who, in)
	}
	id := in.Instance
	snap, perr := r.check(ctx, in, "instance")
	if perr != nil {
		return RunConfig{}, perr
	}
	inst := snap.Instance(id)
	if inst == nil || inst.Scope() != who.Scope() {
		return RunConfig{}, awsproto.Errorf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
	}
	if inst.State != "running" && inst.State != "pending" {
		return RunConfig{}, awsproto.Errorf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be run (it is %s).", id, inst.State)
	}
	var n *netview.NetInterface
	if len(inst.NetworkInterfaces) > 0 {
		n = snap.Interface(inst.NetworkInterfaces[0]) // the primary
	}
	if n == nil || n.Subnet == nil || n.Subnet.VPC == nil || !n.Subnet.Block.IsValid() {
		return RunConfig{}, awsproto.Errorf("IncorrectInstanceState", "The instance '%s' has no IPv4 interface in a subnet to run with.", id)
	}
	cfg := RunConfig{Instance: id, VPC: n.Subnet.VpcID, Zone: n.Subnet.AvailabilityZone, MTU: MTU, Socket: r.socket,
		Gateway:  n.Subnet.Block.Masked().Addr().Next().String(),
		Resolver: resolverOf(n.Subnet.VPC),
		Hostname: n.PrivateDNSName(),
		CACert:   r.caCert, CABundle: r.caBundle,
	}
	cfg.Search = searchDomain(cfg.Hostname)
	if genevePeers(snap)[id] {
		cfg.MTU = ApplianceMTU
	}
	for _, a := range n.Addrs {
		bits := n.Subnet.Block.Bits()
		if a.Is6() {
			bits = n.Subnet.Block6.Bits()
		}
		cfg.Addresses = append(cfg.Addresses, netip.PrefixFrom(a, bits).String())
	}
	return r.hand(cfg, in), nil
}

// check reads what a run of either kind (a process playing an instance
// or a host on premises: player) asks of its mode, and returns the
// current snapshot to read the rest on.
func (r *Runs) check(ctx context.Context, in RunRequest, player string) (*netview.Snapshot, *awsproto.Error) {
	switch {
	case in.Mode != "" && in.Mode != ModeProxy:
		return nil, awsproto.Errorf("InvalidParameterValue", "Value (%s) for parameter mode is invalid. Valid values: proxy, or none for transparent mode.", in.Mode)
	case in.Mode == "" && len(in.Listen) > 0:
		return nil, awsproto.Errorf("InvalidParameterCombination", "listen is for proxy mode; in transparent mode the process listens as the %s itself.", player)
	case in.Mode == "" && r.socket == "":
		return nil, awsproto.Errorf("UnsupportedOperation", "Transparent mode needs Linux (network namespaces and TUN devices); use proxy mode.")
	}
	if _, err := parseListen(in.Listen); err != nil {
		return nil, awsproto.Errorf("InvalidParameterValue", "%s", err.Error())
	}
	snap, err := r.live.Current(ctx)
	if err != nil {
		r.log.Error("run", "instance", in.Instance, "via", in.Via, "error", err)
		return nil, &awsproto.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
	}
	return snap, nil
}

// hand gives a run configuration its mode (in proxy mode, the proxy and
// the ports served instead of the devices' socket) and its token, and
// keeps it until its device or session comes.
func (r *Runs) hand(cfg RunConfig, in RunRequest) RunConfig {
	if in.Mode == ModeProxy {
		cfg.Socket, cfg.Proxy, cfg.Listen = "", r.proxy, in.Listen
	}
	cfg.Token = newToken()
	r.mu.Lock()
	now := time.Now()
	for t, p := range r.tokens {
		if now.After(p.expires) {
			delete(r.tokens, t)
		}
	}
	r.tokens[cfg.Token] = pending{cfg: cfg, expires: now.Add(tokenTTL)}
	r.mu.Unlock()
	return cfg
}

// redeem is the run configuration a token names, once.
func (r *Runs) redeem(token string) (RunConfig, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.tokens[token]
	delete(r.tokens, token)
	if !ok || time.Now().After(p.expires) {
		return RunConfig{}, fmt.Errorf("unknown or expired run token")
	}
	return p.cfg, nil
}

// resolverOf is the VPC's DNS server: its primary block's base + 2.
func resolverOf(v *netview.NetVPC) string {
	if len(v.Blocks) == 0 {
		return ""
	}
	return v.Blocks[0].Masked().Addr().Next().Next().String()
}

// searchDomain is the domain of a private DNS name (ec2.internal).
func searchDomain(host string) string {
	_, domain, _ := strings.Cut(host, ".")
	return domain
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// OffHandler answers RunPath when the data plane is not running, saying
// why.
func OffHandler(why error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		controlapi.Fail(w, &awsproto.Error{Code: "DataPlaneUnavailable", Message: "vpcemu's data plane is not running: " + why.Error(), Status: http.StatusServiceUnavailable})
	})
}
