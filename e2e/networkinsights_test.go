package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformNetworkInsights: aws_ec2_network_insights_path and
// aws_ec2_network_insights_analysis (wait_for_completion) find the allowed
// path and explain the blocked one, show no drift and destroy cleanly.
func TestTerraformNetworkInsights(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "network-insights", e.URL())
	tf.lifecycle(c, func() {
		var out struct {
			SSH struct {
				PathFound bool     `json:"path_found"`
				Status    string   `json:"status"`
				Forward   []string `json:"forward"`
				SourceARN string   `json:"source_arn"`
				PathARN   string   `json:"path_arn"`
			} `json:"ssh"`
			HTTP struct {
				PathFound    bool     `json:"path_found"`
				Status       string   `json:"status"`
				Explanations []string `json:"explanations"`
				Group        string   `json:"group"`
			} `json:"http"`
			S3 struct {
				PathFound bool     `json:"path_found"`
				Forward   []string `json:"forward"`
				Endpoint  string   `json:"endpoint"`
			} `json:"s3"`
			GroupID  string `json:"group_id"`
			ClientID string `json:"client_id"`
		}
		tf.outputs(&out)
		if !out.SSH.PathFound || out.SSH.Status != "succeeded" || len(out.SSH.Forward) == 0 || out.SSH.Forward[0] != out.ClientID ||
			out.SSH.SourceARN != "arn:aws:ec2:us-east-1:"+accountA+":network-interface/"+out.ClientID ||
			!strings.HasPrefix(out.SSH.PathARN, "arn:aws:ec2:us-east-1:"+accountA+":network-insights-path/nip-") {
			t.Errorf("ssh: %+v", out.SSH)
		}
		// Through the route table's prefix-list route to the S3 gateway
		// endpoint, which ends the path.
		if !out.S3.PathFound || len(out.S3.Forward) == 0 || out.S3.Forward[len(out.S3.Forward)-1] != out.S3.Endpoint {
			t.Errorf("s3: %+v", out.S3)
		}
		if out.HTTP.PathFound || out.HTTP.Status != "succeeded" || !slices.Contains(out.HTTP.Explanations, "ENI_SG_RULES_MISMATCH") || out.HTTP.Group != out.GroupID {
			t.Errorf("http: %+v", out.HTTP)
		}
	})
}

// TestAWSCLINetworkInsights: create-network-insights-path,
// start-network-insights-analysis and describe-network-insights-analyses
// through the aws CLI, on a reachable path and a blocked one.
func TestAWSCLINetworkInsights(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	cli := newAWSCLI(t, e.URL(), accountA)
	text := func(args ...string) string { return cli.ok(t, append(args, "--output", "text")...) }
	vpc := text("ec2", "create-vpc", "--cidr-block", "10.80.0.0/16", "--query", "Vpc.VpcId")
	subnet := text("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.80.1.0/24", "--query", "Subnet.SubnetId")
	sg := text("ec2", "create-security-group", "--vpc-id", vpc, "--group-name", "ssh", "--description", "ssh", "--query", "GroupId")
	text("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp", "--port", "22", "--cidr", "10.80.0.0/16")
	var eni []string
	for range 2 {
		eni = append(eni, text("ec2", "create-network-interface", "--subnet-id", subnet, "--groups", sg, "--query", "NetworkInterface.NetworkInterfaceId"))
	}

	for _, tc := range []struct {
		port, found, code string
	}{
		{"22", "True", "None"},
		{"443", "False", "ENI_SG_RULES_MISMATCH"},
	} {
		path := text("ec2", "create-network-insights-path", "--source", eni[0], "--destination", eni[1], "--protocol", "tcp",
			"--destination-port", tc.port, "--tag-specifications", "ResourceType=network-insights-path,Tags=[{Key=Name,Value=port-"+tc.port+"}]",
			"--query", "NetworkInsightsPath.NetworkInsightsPathId")
		started := text("ec2", "start-network-insights-analysis", "--network-insights-path-id", path,
			"--query", "NetworkInsightsAnalysis.[NetworkInsightsAnalysisId,Status]")
		analysis, status, _ := strings.Cut(started, "\t")
		if status != "running" {
			t.Errorf("port %s: start answered %q", tc.port, started)
		}
		got := text("ec2", "describe-network-insights-analyses", "--network-insights-analysis-ids", analysis,
			"--query", "NetworkInsightsAnalyses[0].[Status,NetworkPathFound,Explanations[0].ExplanationCode]")
		if want := "succeeded\t" + tc.found + "\t" + tc.code; got != want {
			t.Errorf("port %s: describe answered %q, want %q", tc.port, got, want)
		}
		if got := text("ec2", "describe-network-insights-analyses", "--network-insights-path-id", path,
			"--filters", "Name=path-found,Values="+strings.ToLower(tc.found), "--query", "NetworkInsightsAnalyses[].NetworkInsightsAnalysisId"); got != analysis {
			t.Errorf("port %s: by path and path-found: %q", tc.port, got)
		}
		cliError(t, cli, "AnalysisExistsForNetworkInsightsPath", "DeleteNetworkInsightsPath", "ec2", "delete-network-insights-path", "--network-insights-path-id", path)
		text("ec2", "delete-network-insights-analysis", "--network-insights-analysis-id", analysis)
		text("ec2", "delete-network-insights-path", "--network-insights-path-id", path)
	}
}
