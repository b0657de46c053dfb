# Points this configuration at vpcemu, never at AWS. Every configuration
# directory holds a copy of this file; the original is
# e2e/testdata/terraform/vpcemu.tf, and the e2e tests fail when a copy
# differs from it.
#
# With `vpcemu serve` running:  terraform init && terraform apply
# With vpcemu elsewhere:        export TF_VAR_endpoint=http://127.0.0.1:4567
#
# What keeps a run from reaching AWS: every service the configurations use
# goes to var.endpoint, which refuses AWS's own hosts; the credentials are
# fixed here, so none from the environment or ~/.aws are used (and AWS
# would refuse these); the provider looks its account up through vpcemu's
# STS and stops unless it is the one vpcemu gives these credentials. When
# nothing answers at var.endpoint, the provider gives up after 5 attempts.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

variable "endpoint" {
  description = "vpcemu's endpoint URL (vpcemu serve prints it)"
  type        = string
  default     = "http://127.0.0.1:4566"

  validation {
    condition     = can(regex("^https?://[^/]+/?$", var.endpoint)) && !can(regex("(?i)(amazonaws\\.(com|com\\.cn|eu)|api\\.aws|amazonwebservices\\.(com\\.cn|eu))(:[0-9]+)?/?$", var.endpoint))
    error_message = "The endpoint must be vpcemu's URL, such as http://127.0.0.1:4566; AWS's own endpoints are refused."
  }
}

provider "aws" {
  region     = "us-east-1"
  access_key = "111111111111" # a 12-digit access key id is that account in vpcemu
  secret_key = "test"

  allowed_account_ids         = ["111111111111"]
  skip_credentials_validation = false # ask (vpcemu's) STS who we are, as against AWS
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true
  max_retries                 = 5

  endpoints {
    directconnect = var.endpoint
    ec2           = var.endpoint
    elbv2         = var.endpoint
    iam           = var.endpoint
    logs          = var.endpoint
    route53       = var.endpoint
    sts           = var.endpoint
  }
}
