"""Storage: the raw archive (content-addressed bodies) and the database (sqlmodel, alembic).

This subpackage may use sqlalchemy/sqlmodel/alembic/psycopg/pyarrow; it never imports Prefect.
"""
