"""What readers see: charts, formatted values, generated pages, the ledger's files."""
