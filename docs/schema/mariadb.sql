-- Keygate's schema on MariaDB (tested on 10.11): what keygate.war creates at start-up, for an admin who creates
-- it by hand and sets keygate.db.create-schema=false (KEYGATE_DB_CREATE_SCHEMA=false).
--
--   mariadb -h HOST -u USER -p DATABASE < docs/schema/mariadb.sql
--
-- The tables take the database's default engine and character set, as when keygate.war creates them: the
-- engine must be InnoDB (the default), for the transactions and row locks Keygate relies on. Table names are
-- upper case, as Keygate's queries write them (MariaDB on Linux tells KG_TOKEN from kg_token).
-- A test (StoreTest.documentedSchemaIsTheOneKeygateCreates) checks this file against what Keygate creates.
-- Instants are epoch milliseconds (UTC); scopes are one space-separated column. No token is ever stored,
-- only the SHA-256 of each token, in hex.

-- Tenants. The slug is the key in every URL and never changes.
CREATE TABLE KG_TENANT (
    SLUG               VARCHAR(63)  NOT NULL,
    NAME               VARCHAR(100) NOT NULL,
    API_ACCESS_ENABLED TINYINT(1)   DEFAULT 0 NOT NULL,
    CREATED_AT         BIGINT       NOT NULL,
    MAX_TOKEN_LIFETIME BIGINT,
    VERSION            BIGINT       NOT NULL,
    PRIMARY KEY (SLUG)
);

-- The tenant listing: newest first, paged by (CREATED_AT, SLUG).
CREATE INDEX KG_TENANT_CREATED ON KG_TENANT (CREATED_AT, SLUG);

-- Tokens of tenants, global admin tokens (TENANT_SLUG null), and the short-lived access tokens the token
-- endpoint issues (PARENT_ID: the token that issued them). RATE_LIMIT requests per RATE_LIMIT_WINDOW seconds
-- and ALLOWED_ADDRESSES (comma-separated addresses and CIDR blocks) are optional limits of a token.
CREATE TABLE KG_TOKEN (
    ID                VARCHAR(40)   NOT NULL,
    TENANT_SLUG       VARCHAR(63),
    TOKEN_HASH        VARCHAR(64)   NOT NULL,
    PREFIX            VARCHAR(16)   NOT NULL,
    NAME              VARCHAR(100)  NOT NULL,
    OWNER             VARCHAR(100),
    SCOPES            VARCHAR(1000) NOT NULL,
    CREATED_AT        BIGINT        NOT NULL,
    EXPIRES_AT        BIGINT,
    REVOKED_AT        BIGINT,
    LAST_USED_AT      BIGINT,
    USAGE_COUNT       BIGINT        NOT NULL,
    REPLACED_BY       VARCHAR(40),
    PARENT_ID         VARCHAR(40),
    RATE_LIMIT        INTEGER,
    RATE_LIMIT_WINDOW INTEGER,
    ALLOWED_ADDRESSES VARCHAR(1000),
    VERSION           BIGINT        NOT NULL,
    PRIMARY KEY (ID)
);

-- The verify path: one look-up by hash on every request that is not in a filter's cache.
CREATE UNIQUE INDEX KG_TOKEN_HASH ON KG_TOKEN (TOKEN_HASH);

-- The token listing of a tenant (the tokens admins created, PARENT_ID null): newest first, paged by
-- (CREATED_AT, ID), one range scan from the cursor whatever the page.
CREATE INDEX KG_TOKEN_TENANT_CREATED ON KG_TOKEN (TENANT_SLUG, PARENT_ID, CREATED_AT, ID);

-- The access tokens a token issued: listed with it (they follow it without being written when it ends).
CREATE INDEX KG_TOKEN_PARENT ON KG_TOKEN (PARENT_ID, CREATED_AT, ID);

-- The audit log: admin actions one by one, failed authentications as rate-limited summaries. Never a token:
-- targets are ids, slugs or a token's non-secret prefix.
CREATE TABLE KG_AUDIT (
    ID             VARCHAR(40)  NOT NULL,
    CREATED_AT     BIGINT       NOT NULL,
    TENANT_SLUG    VARCHAR(63),
    ACTOR          VARCHAR(40)  NOT NULL,
    ACTION         VARCHAR(40)  NOT NULL,
    TARGET         VARCHAR(100),
    CLIENT_ADDRESS VARCHAR(64),
    DETAIL         VARCHAR(300),
    PRIMARY KEY (ID)
);

-- The audit listing of a tenant: newest first, paged by (CREATED_AT, ID).
CREATE INDEX KG_AUDIT_TENANT_CREATED ON KG_AUDIT (TENANT_SLUG, CREATED_AT, ID);

-- Messages between the servers that share this database (keygate.cluster.engine=database, or auto without
-- Payara's data grid): changes that take rights away from a token, counts, heartbeats. Each row lives about a
-- minute. IDs come from the sequence, one per insert; readers follow them.
CREATE TABLE KG_CLUSTER_MESSAGE (
    ID         BIGINT        NOT NULL,
    SENDER     VARCHAR(40)   NOT NULL,
    KIND       VARCHAR(20)   NOT NULL,
    BODY       VARCHAR(8000) NOT NULL,
    CREATED_AT BIGINT        NOT NULL,
    PRIMARY KEY (ID)
);

-- Pruning: rows older than a minute are deleted.
CREATE INDEX KG_CLUSTER_MESSAGE_CREATED ON KG_CLUSTER_MESSAGE (CREATED_AT);

CREATE SEQUENCE KG_CLUSTER_MESSAGE_SEQ INCREMENT BY 1 START WITH 1;
