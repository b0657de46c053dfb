# CloudWatch Logs: the log group VPC flow logs deliver to (retention,
# tags), a group named by prefix, and a stream.

variable "retention_in_days" {
  description = "the flow log group's retention (an update changes it)"
  type        = number
  default     = 30
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/vpc/flow-logs"
  retention_in_days = var.retention_in_days

  tags = {
    Name = "flow-logs"
    team = "network"
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name_prefix       = "/app/web-"
  retention_in_days = 0
  log_group_class   = "INFREQUENT_ACCESS"
  kms_key_id        = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_cloudwatch_log_stream" "eni" {
  name           = "eni-0a1b2c3d4e5f60718"
  log_group_name = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_logs" {
  value = {
    arn       = aws_cloudwatch_log_group.flow_logs.arn
    name      = aws_cloudwatch_log_group.flow_logs.name
    retention = aws_cloudwatch_log_group.flow_logs.retention_in_days
    class     = aws_cloudwatch_log_group.flow_logs.log_group_class
  }
}

output "app" {
  value = {
    arn   = aws_cloudwatch_log_group.app.arn
    name  = aws_cloudwatch_log_group.app.name
    class = aws_cloudwatch_log_group.app.log_group_class
  }
}

output "stream_arn" {
  value = aws_cloudwatch_log_stream.eni.arn
}
