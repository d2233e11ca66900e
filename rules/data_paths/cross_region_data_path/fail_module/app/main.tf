variable "queue_url" {}

resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = jsonencode([{
    name  = "worker"
    image = "shop/worker:3"
    environment = [{ name = "QUEUE_URL", value = var.queue_url }]
  }])
}
