provider "google" {
  project = "shop-4711"
  region  = "europe-west1"
}

resource "google_sql_database_instance" "dev" {
  name             = "orders-dev"
  database_version = "POSTGRES_16"

  settings {
    tier              = "db-custom-2-7680"
    availability_type = "ZONAL"

    user_labels = {
      environment = "dev"
    }
  }
}

resource "google_sql_database_instance" "prod" {
  name             = "orders"
  database_version = "POSTGRES_16"

  settings {
    tier              = "db-custom-4-15360"
    availability_type = "REGIONAL"

    user_labels = {
      environment = "prod"
    }
  }
}
