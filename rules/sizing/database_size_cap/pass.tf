variable "instance_class" {
  type = string
}

variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "dev" {
  identifier        = "dev"
  engine            = "postgres"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
  multi_az          = var.multi_az
  tags = {
    environment = "dev"
  }
}

resource "aws_db_instance" "prod" {
  identifier        = "prod"
  engine            = "postgres"
  instance_class    = "db.r6g.8xlarge"
  allocated_storage = 500
  tags = {
    environment = "prod"
  }
}

resource "aws_db_instance" "from_input" {
  identifier        = "input"
  engine            = "postgres"
  instance_class    = var.instance_class
  allocated_storage = 20
  tags = {
    environment = "dev"
  }
}

resource "aws_db_instance" "unknown_class" {
  identifier        = "future"
  engine            = "postgres"
  instance_class    = "db.z9.96xlarge"
  allocated_storage = 20
  tags = {
    environment = "dev"
  }
}

resource "aws_elasticache_cluster" "small" {
  cluster_id      = "small"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
  tags = {
    environment = "dev"
  }
}

resource "google_sql_database_instance" "dev" {
  name             = "dev"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"

    user_labels = {
      environment = "dev"
    }
  }
}

resource "google_sql_database_instance" "legacy_tier" {
  name             = "legacy"
  database_version = "MYSQL_8_0"
  region           = "europe-west1"

  settings {
    tier = "db-n1-highcpu-96"
  }
}

resource "azurerm_postgresql_flexible_server" "dev" {
  name                = "psql-dev"
  resource_group_name = "rg-dev"
  location            = "westeurope"
  sku_name            = "B_Standard_B2s"

  tags = {
    environment = "dev"
  }
}

# A single-server SKU names no VM size.
resource "azurerm_mysql_flexible_server" "old_sku" {
  name                = "mysql-old"
  resource_group_name = "rg-dev"
  location            = "westeurope"
  sku_name            = "GP_Gen5_32"

  tags = {
    environment = "dev"
  }
}
