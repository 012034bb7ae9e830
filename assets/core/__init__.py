"""The small shared core every stage may import: paths and accounts (``settings``), the
registries, the SQL catalogue, the glossary, partitions and run tags, resources, the pack
translations and the check-results tables. It imports no stage."""
