/**
 * The tables SGP owns, in dependency order. Original table and column names are kept (an existing database of the
 * original system is rebuilt into these shapes in place); what our design adds is marked.
 * note: each entry is a whole CREATE TABLE so that a legacy table can be rebuilt into it (SQLite cannot add
 * foreign keys or constraints to an existing table).
 */
export interface TableDef {
  name: string;
  create: string;
  indexes: string[];
}

const q = (name: string) => `"${name}"`;

export const TABLES: TableDef[] = [
  {
    name: "user",
    create: `CREATE TABLE ${q("user")} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      username TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      is_admin INTEGER NOT NULL DEFAULT 0,
      setor TEXT NOT NULL DEFAULT 'geral',
      is_active INTEGER NOT NULL DEFAULT 1,
      created_at TEXT,
      updated_at TEXT
    )`,
    indexes: [`CREATE UNIQUE INDEX IF NOT EXISTS ix_user_username ON "user"(username)`],
  },
  {
    name: "revoked_tokens",
    create: `CREATE TABLE revoked_tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      token TEXT,
      jti TEXT,            -- ours: revocation by token id
      user_id INTEGER,     -- ours
      expires_at TEXT NOT NULL,
      revoked_at TEXT NOT NULL
    )`,
    indexes: [
      `CREATE UNIQUE INDEX IF NOT EXISTS ix_revoked_tokens_token ON revoked_tokens(token)`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ix_revoked_tokens_jti ON revoked_tokens(jti)`,
    ],
  },
  {
    name: "cliente",
    create: `CREATE TABLE cliente (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      cep TEXT,
      cidade TEXT,
      estado TEXT,
      telefone TEXT,
      nome_busca TEXT      -- ours: folded name for accent-insensitive search
    )`,
    indexes: [`CREATE INDEX IF NOT EXISTS ix_cliente_nome_busca ON cliente(nome_busca)`],
  },
  {
    name: "payment",
    create: `CREATE TABLE payment (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      parcelas_max INTEGER NOT NULL DEFAULT 1,
      taxa_percentual REAL NOT NULL DEFAULT 0,
      ativo INTEGER NOT NULL DEFAULT 1,
      observacao TEXT
    )`,
    indexes: [],
  },
  {
    name: "envio",
    create: `CREATE TABLE envio (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      valor REAL,
      prazo_dias INTEGER NOT NULL DEFAULT 0,
      ativo INTEGER NOT NULL DEFAULT 1,
      observacao TEXT
    )`,
    indexes: [],
  },
  {
    name: "vendedor",
    create: `CREATE TABLE vendedor (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      email TEXT,
      telefone TEXT,
      comissao_percentual REAL NOT NULL DEFAULT 0,
      ativo INTEGER NOT NULL DEFAULT 1,
      observacao TEXT
    )`,
    indexes: [],
  },
  {
    name: "designer",
    create: `CREATE TABLE designer (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      email TEXT,
      telefone TEXT,
      ativo INTEGER NOT NULL DEFAULT 1,
      observacao TEXT
    )`,
    indexes: [],
  },
  {
    name: "material",
    create: `CREATE TABLE material (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      nome TEXT NOT NULL,
      tipo TEXT NOT NULL DEFAULT '',
      valor_metro REAL NOT NULL DEFAULT 0,
      estoque_metros REAL NOT NULL DEFAULT 0,
      ativo INTEGER NOT NULL DEFAULT 1,
      observacao TEXT
    )`,
    indexes: [],
  },
  {
    name: "producoes",
    create: `CREATE TABLE producoes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      description TEXT,
      active INTEGER NOT NULL DEFAULT 1,
      created_at TEXT
    )`,
    indexes: [],
  },
  {
    name: "machines",
    create: `CREATE TABLE machines (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      created_at TEXT
    )`,
    indexes: [`CREATE INDEX IF NOT EXISTS ix_machines_name ON machines(name)`],
  },
  {
    name: "pedidos",
    create: `CREATE TABLE pedidos (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      numero TEXT,
      data_entrada TEXT NOT NULL,
      data_entrega TEXT,
      observacao TEXT,
      prioridade TEXT NOT NULL DEFAULT 'NORMAL',
      status TEXT NOT NULL DEFAULT 'pendente',
      cliente TEXT NOT NULL,
      cliente_busca TEXT,                              -- ours: folded for accent-insensitive search
      telefone_cliente TEXT,
      cidade_cliente TEXT,
      estado_cliente TEXT,                             -- ours: the UF, apart from the city
      valor_total TEXT,
      valor_frete TEXT,
      valor_itens TEXT,
      valor_total_cents INTEGER NOT NULL DEFAULT 0,    -- ours: money as integer cents
      valor_frete_cents INTEGER NOT NULL DEFAULT 0,
      valor_itens_cents INTEGER NOT NULL DEFAULT 0,
      tipo_pagamento TEXT,
      obs_pagamento TEXT,
      forma_envio TEXT,
      forma_envio_id INTEGER NOT NULL DEFAULT 0,
      financeiro INTEGER NOT NULL DEFAULT 0,
      conferencia INTEGER NOT NULL DEFAULT 0,
      sublimacao INTEGER NOT NULL DEFAULT 0,
      costura INTEGER NOT NULL DEFAULT 0,
      expedicao INTEGER NOT NULL DEFAULT 0,
      pronto INTEGER NOT NULL DEFAULT 0,
      sublimacao_maquina TEXT,
      sublimacao_data_impressao TEXT,
      financeiro_liberado_em TEXT,
      items TEXT,                                      -- legacy JSON items; kept as it was, no longer written
      rascunho INTEGER NOT NULL DEFAULT 0,             -- ours: draft orders (the client's /pedidos/rascunho)
      criado_por INTEGER,                              -- ours: user id of the creator
      data_criacao TEXT,
      ultima_atualizacao TEXT
    )`,
    indexes: [
      `CREATE UNIQUE INDEX IF NOT EXISTS ux_pedidos_numero ON pedidos(numero)`,
      `CREATE INDEX IF NOT EXISTS ix_pedidos_data_entrada ON pedidos(data_entrada)`,
      `CREATE INDEX IF NOT EXISTS ix_pedidos_data_entrega ON pedidos(data_entrega)`,
      `CREATE INDEX IF NOT EXISTS ix_pedidos_status ON pedidos(status)`,
      `CREATE INDEX IF NOT EXISTS ix_pedidos_cliente ON pedidos(cliente)`,
      `CREATE INDEX IF NOT EXISTS ix_pedidos_cliente_busca ON pedidos(cliente_busca)`,
    ],
  },
  {
    // Ours: one row per item, with a stable id unique across the database (decisions §5).
    name: "pedido_itens",
    create: `CREATE TABLE pedido_itens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      pedido_id INTEGER NOT NULL REFERENCES pedidos(id) ON DELETE CASCADE,
      posicao INTEGER NOT NULL,
      legacy_id INTEGER,              -- pedido.id*1000+index of the original, still accepted by item routes
      tipo_producao TEXT,
      designer TEXT,
      vendedor TEXT,
      tecido TEXT,
      machine_id INTEGER,
      status_arte TEXT,
      data TEXT NOT NULL              -- the whole item object (unknown keys kept), without id
    )`,
    indexes: [
      `CREATE INDEX IF NOT EXISTS ix_pedido_itens_pedido ON pedido_itens(pedido_id, posicao)`,
      `CREATE INDEX IF NOT EXISTS ix_pedido_itens_legacy ON pedido_itens(legacy_id)`,
      `CREATE INDEX IF NOT EXISTS ix_pedido_itens_designer ON pedido_itens(designer)`,
      `CREATE INDEX IF NOT EXISTS ix_pedido_itens_machine ON pedido_itens(machine_id)`,
    ],
  },
  {
    name: "pedido_imagens",
    create: `CREATE TABLE pedido_imagens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      pedido_id INTEGER NOT NULL REFERENCES pedidos(id) ON DELETE CASCADE,
      item_id INTEGER REFERENCES pedido_itens(id) ON DELETE SET NULL,  -- ours
      item_index INTEGER,
      item_identificador TEXT,
      filename TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      path TEXT NOT NULL,
      tamanho INTEGER NOT NULL DEFAULT 0,
      criado_em TEXT
    )`,
    indexes: [
      `CREATE INDEX IF NOT EXISTS ix_pedido_imagens_pedido ON pedido_imagens(pedido_id)`,
      `CREATE INDEX IF NOT EXISTS ix_pedido_imagens_item ON pedido_imagens(item_id)`,
    ],
  },
  {
    name: "print_logs",
    create: `CREATE TABLE print_logs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      printer_id INTEGER REFERENCES machines(id) ON DELETE CASCADE,
      pedido_id INTEGER REFERENCES pedidos(id) ON DELETE CASCADE,
      item_id INTEGER REFERENCES pedido_itens(id) ON DELETE SET NULL,
      item_id_legado INTEGER,         -- ours: an original item id that no item row matched
      status TEXT NOT NULL,
      error_message TEXT,
      created_at TEXT
    )`,
    indexes: [
      `CREATE INDEX IF NOT EXISTS ix_print_logs_printer ON print_logs(printer_id)`,
      `CREATE INDEX IF NOT EXISTS ix_print_logs_pedido ON print_logs(pedido_id)`,
      `CREATE INDEX IF NOT EXISTS ix_print_logs_item ON print_logs(item_id)`,
    ],
  },
  {
    name: "reposicoes",
    create: `CREATE TABLE reposicoes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      numero TEXT,
      order_id INTEGER REFERENCES pedidos(id) ON DELETE CASCADE,
      motivo TEXT NOT NULL,
      descricao TEXT,
      data_solicitacao TEXT,
      data_entrega_prevista TEXT,
      status TEXT NOT NULL DEFAULT 'Pendente',
      prioridade TEXT NOT NULL DEFAULT 'NORMAL',
      observacao TEXT,
      financeiro INTEGER NOT NULL DEFAULT 0,
      conferencia INTEGER NOT NULL DEFAULT 0,
      sublimacao INTEGER NOT NULL DEFAULT 0,
      costura INTEGER NOT NULL DEFAULT 0,
      expedicao INTEGER NOT NULL DEFAULT 0,
      pronto INTEGER NOT NULL DEFAULT 0,
      created_at TEXT,
      updated_at TEXT
    )`,
    indexes: [
      `CREATE UNIQUE INDEX IF NOT EXISTS ux_reposicoes_numero ON reposicoes(numero)`,
      `CREATE INDEX IF NOT EXISTS ix_reposicoes_order ON reposicoes(order_id)`,
    ],
  },
  {
    // Ours: the event log (outbox). The single source of truth for "what happened"; realtime reads it.
    // note: no foreign key on order_id: a deleted order keeps its history.
    name: "event_log",
    create: `CREATE TABLE event_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      type TEXT NOT NULL,
      order_id INTEGER,
      payload TEXT NOT NULL,
      actor_id INTEGER,
      actor_name TEXT,
      created_at TEXT NOT NULL
    )`,
    indexes: [`CREATE INDEX IF NOT EXISTS ix_event_log_order ON event_log(order_id)`],
  },
  {
    // Ours: named counters allocated inside write transactions (the order numero).
    name: "sequences",
    create: `CREATE TABLE sequences (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    )`,
    indexes: [],
  },
];
