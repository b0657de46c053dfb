package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDataPlaneTerraform: a PrivateLink service across two accounts built
// by Terraform carries a real connection: a curl playing the consumer's
// instance reaches a Python server playing the provider's target through
// the interface endpoint's DNS name and the NLB; an apply that takes the
// port away from the endpoint's security group stops it (dropped, curl
// times out), and applying it back lets it through again. The consumer's
// flow log, in CloudWatch Logs, shows the endpoint's interface accepting
// and rejecting.
func TestDataPlaneTerraform(t *testing.T) {
	t.Parallel()
	needsDataPlane(t)
	srv := Serve(t, "--addr", "127.0.0.1:0", "--in-memory")
	tf := newTerraform(t, "traffic", srv.URL)
	tf.expect(0, "init")
	tf.expect(0, "apply", "-auto-approve")
	tf.expect(0, "plan", "-detailed-exitcode")
	var out struct {
		ProviderSubnet        string `json:"provider_subnet"`
		ProviderSecurityGroup string `json:"provider_security_group"`
		ConsumerSubnet        string `json:"consumer_subnet"`
		EndpointDNSName       string `json:"endpoint_dns_name"`
		EndpointInterface     string `json:"endpoint_interface"`
	}
	tf.outputs(&out)

	prov, cons := newAWSCLI(t, srv.URL, accountA), newAWSCLI(t, srv.URL, accountB)
	server := prov.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", out.ProviderSubnet, "--private-ip-address", "10.1.1.10",
		"--security-group-ids", out.ProviderSecurityGroup, "--query", "Instances[0].InstanceId", "--output", "text")
	client := cons.ok(t, "ec2", "run-instances", "--image-id", "ami-12345678", "--subnet-id", out.ConsumerSubnet, "--query", "Instances[0].InstanceId", "--output", "text")
	provider := player{t: t, url: srv.URL, account: accountA}
	provider.serve(server, "python3", "-m", "http.server", "8443")
	consumer := player{t: t, url: srv.URL, account: accountB}
	url := "http://" + out.EndpointDNSName + ":443/"
	consumer.waitServing(client, url)

	tf.expect(0, "apply", "-auto-approve", "-var", "endpoint_port=80")
	if _, code := consumer.curl(client, url, 2*time.Second); code != 28 {
		t.Errorf("the endpoint's group without 443: curl exit %d, want 28 (dropped)", code)
	}
	tf.expect(0, "apply", "-auto-approve")
	consumer.waitServing(client, url)

	// The endpoint's interface logged both: ACCEPT while its group let
	// 443 in, REJECT while it did not; read back with aws logs once the
	// window has closed.
	for _, action := range []string{"ACCEPT", "REJECT"} {
		pattern := `[version, account, eni="` + out.EndpointInterface + `", source, destination, srcport, destport=443, protocol=6, packets, bytes, start, end, action="` + action + `", status]`
		deadline := time.Now().Add(150 * time.Second) // the window closes on the minute
		for {
			got := cons.ok(t, "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--log-stream-names", out.EndpointInterface,
				"--filter-pattern", pattern, "--query", "length(events)", "--output", "text")
			if got != "0" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s record of the endpoint's interface: %s", action,
					cons.ok(t, "logs", "filter-log-events", "--log-group-name", "/vpc/flow-logs", "--query", "events[].message", "--output", "text"))
			}
			time.Sleep(3 * time.Second)
		}
	}

	// The window has closed, so the meters hold the traffic: vpcemu cost
	// prices the endpoint's and the NLB's bytes, and writes them as an
	// Infracost usage file under their Terraform addresses.
	state := filepath.Join(tf.dir, "terraform.tfstate")
	a := costOf(t, consumer, "--tfstate", state)
	processed := map[string]float64{}
	for _, l := range a.Bill.Lines {
		if l.Usage {
			processed[l.Account+" "+string(l.Kind)] += l.Quantity
		}
	}
	if processed[accountB+" interface-endpoint"] <= 0 || processed[accountA+" network-load-balancer"] <= 0 || !strings.HasPrefix(a.Bill.Usage, "metered") {
		t.Errorf("metered GB by resource: %v (%s)", processed, a.Bill.Usage)
	}
	usage, err := consumer.vpcemu("cost", "--emit-infracost-usage", "-", "--tfstate", state).Output()
	if err != nil || !strings.Contains(string(usage), "  aws_vpc_endpoint.api:\n    monthly_data_processed_gb: ") || !strings.Contains(string(usage), "  aws_lb.api:\n    processed_bytes_gb: ") {
		t.Errorf("the usage file: %v\n%s", err, usage)
	}

	prov.ok(t, "ec2", "terminate-instances", "--instance-ids", server)
	cons.ok(t, "ec2", "terminate-instances", "--instance-ids", client)
	tf.expect(0, "destroy", "-auto-approve")
}
