provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

resource "aws_sqs_queue" "jobs" {
  provider = aws.us
  name     = "jobs"
}

# The queue reaches the worker through a module input.
module "worker" {
  source    = "./app"
  queue_url = aws_sqs_queue.jobs.url
}
