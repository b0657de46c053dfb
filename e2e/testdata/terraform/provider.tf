# The provider every configuration in this directory runs with. The test
# harness copies this file next to a configuration's own files and sets
# var.endpoint (TF_VAR_endpoint) to the vpcemu under test. To run a
# configuration by hand, copy this file into it and start `vpcemu serve`.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

variable "endpoint" {
  description = "vpcemu's endpoint URL"
  type        = string
  default     = "http://127.0.0.1:4566"
}

provider "aws" {
  region     = "us-east-1"
  access_key = "111111111111" # a 12-digit access key id is that account in vpcemu
  secret_key = "test"

  # The provider checks the credentials and looks the account id up through
  # STS, which vpcemu answers, as it would against AWS.
  skip_credentials_validation = false
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true

  endpoints {
    ec2   = var.endpoint
    elbv2 = var.endpoint
    sts   = var.endpoint
  }
}
