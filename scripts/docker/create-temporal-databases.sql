-- The Temporal server keeps its own databases beside ours in the same Postgres.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
