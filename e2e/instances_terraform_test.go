package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcemu/vpcemu/internal/emulatortest"
)

// TestTerraformInstances: two aws_instance resources (a t3.micro with tags,
// a security group and a fixed private address; an m5.large with a public
// address and user data) apply, show no drift, and destroy, leaving the
// instances terminated and no volume.
func TestTerraformInstances(t *testing.T) {
	t.Parallel()
	e := emulatortest.Start(t)
	c := emulatortest.EC2(e, accountA, region)
	tf := newTerraform(t, "instances", e.URL())
	var ids []string
	tf.lifecycle(c, func() {
		var out struct {
			App struct {
				ID        string
				PrivateIP string `json:"private_ip"`
				VolumeID  string `json:"volume_id"`
			}
			Web struct {
				ID        string
				PrivateIP string `json:"private_ip"`
				PublicIP  string `json:"public_ip"`
			}
		}
		tf.outputs(&out)
		ids = []string{out.App.ID, out.Web.ID}
		ctx := testContext(t, time.Minute)
		got, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]types.Instance{}
		for _, r := range got.Reservations {
			for _, i := range r.Instances {
				byID[aws.ToString(i.InstanceId)] = i
			}
		}
		app, web := byID[out.App.ID], byID[out.Web.ID]
		if aws.ToString(app.PrivateIpAddress) != "10.40.1.10" || out.App.PrivateIP != "10.40.1.10" || app.InstanceType != types.InstanceTypeT3Micro ||
			tagString(app.Tags) != "Name=e2e-app,Role=app" || len(app.SecurityGroups) != 1 || aws.ToString(app.SecurityGroups[0].GroupName) != "e2e-instances-app" ||
			len(app.BlockDeviceMappings) != 1 || aws.ToString(app.BlockDeviceMappings[0].Ebs.VolumeId) != out.App.VolumeID {
			t.Errorf("app instance: %+v, Terraform says %+v", app, out.App)
		}
		if aws.ToString(web.PrivateIpAddress) != out.Web.PrivateIP || aws.ToString(web.PublicIpAddress) != out.Web.PublicIP || out.Web.PublicIP == "" {
			t.Errorf("web instance: private %s public %s, Terraform says %+v", aws.ToString(web.PrivateIpAddress), aws.ToString(web.PublicIpAddress), out.Web)
		}
		credits, err := c.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{out.App.ID}})
		if err != nil || len(credits.InstanceCreditSpecifications) != 1 || aws.ToString(credits.InstanceCreditSpecifications[0].CpuCredits) != "unlimited" {
			t.Errorf("app's CPU credits: %+v %v", credits, err)
		}
		userData, err := c.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &out.Web.ID, Attribute: types.InstanceAttributeNameUserData})
		if err != nil || aws.ToString(userData.UserData.Value) != "IyEvYmluL3NoCmVjaG8gaGVsbG8gPiAvdG1wL2hlbGxvCg==" {
			t.Errorf("web's user data: %+v %v", userData, err)
		}
	})
	// lifecycle's check of what is left covers instances and volumes.
	got, err := c.DescribeInstances(testContext(t, time.Minute), &ec2.DescribeInstancesInput{InstanceIds: ids})
	if err != nil || len(got.Reservations) != 2 {
		t.Errorf("terminated instances stay visible for an hour: %+v %v", got, err)
	}
}
