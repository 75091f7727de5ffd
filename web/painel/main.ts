/**
 * The production board (`/painel`): login, then the orders in columns by stage, live from `/ws/orders`.
 * Plain DOM code: one state object, one render (coalesced per animation frame), no framework.
 */
import * as B from "./board.ts";
import * as api from "./api.ts";
import { LiveFeed, type LiveStatus, type OrderMessage } from "./live.ts";

const SESSION_KEY = "sgp-painel:sessao";
const FILTERS_KEY = "sgp-painel:filtros";
const ORDER_EVENTS = new Set(["order_created", "order_updated", "order_status_updated"]);
/** A full reload now and then, so a board left on for weeks never drifts (the ready window moves daily). */
const RELOAD_EVERY_MS = 30 * 60_000;
/** Events held while the data loads; beyond this the load is simply redone. */
const QUEUE_LIMIT = 2_000;
/** How long a card that just changed stays highlighted. */
const FLASH_MS = 4_000;

type Child = Node | string | null | undefined | false;

/** A tiny element builder: `h("li", { class: "card", "data-order-id": 7 }, "texto")`. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const today = () => B.isoDay(new Date());

const state = {
  session: null as api.Session | null,
  orders: new Map<number, B.Order>(),
  sector: "todos",
  date: "todas" as B.DateFilter,
  live: "conectando" as LiveStatus | "carregando",
  loaded: false,
  loading: false,
  queue: [] as OrderMessage[],
  reloadAgain: false,
  changed: new Map<number, number>(),
  notice: "",
};

let feed: LiveFeed | null = null;
let timers: ReturnType<typeof setInterval>[] = [];
let renderQueued = false;
let flashTimer: ReturnType<typeof setTimeout> | null = null;

function readJson<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null") as T | null;
  } catch {
    return null;
  }
}

// ---- session ------------------------------------------------------------------------------------------------

function start(): void {
  const saved = readJson<api.Session>(SESSION_KEY);
  if (saved?.token) enterBoard(saved);
  else showLogin("");
}

function showLogin(message: string): void {
  const user = h("input", { name: "username", autocomplete: "username", required: true, autofocus: true, "aria-label": "Usuário" });
  const pass = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true, "aria-label": "Senha" });
  const error = h("p", { class: "erro", role: "alert" }, message);
  const button = h("button", { type: "submit" }, "Entrar");
  const form = h(
    "form",
    { class: "login" },
    h("h1", {}, "Painel de produção"),
    h("label", {}, "Usuário", user),
    h("label", {}, "Senha", pass),
    button,
    error,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = "";
    try {
      const session = await api.login(user.value.trim(), pass.value);
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
      enterBoard(session);
    } catch (err) {
      error.textContent =
        err instanceof api.ApiError && err.status === 429 ? "Muitas tentativas: aguarde um minuto." : (err as Error).message;
      button.disabled = false;
    }
  });
  document.body.replaceChildren(h("main", { class: "tela-login" }, form));
  user.focus();
}

function enterBoard(session: api.Session): void {
  state.session = session;
  const filters = readJson<{ sector?: string; date?: B.DateFilter }>(FILTERS_KEY);
  state.sector = filters?.sector && B.SECTORS.some((s) => s.id === filters.sector) ? filters.sector : B.defaultSector(session);
  state.date = filters?.date ?? "todas";
  state.orders = new Map();
  state.loaded = false;
  state.notice = "";
  buildBoard();
  feed = new LiveFeed(session.token, {
    connected: (resumed) => {
      if (!resumed || !state.loaded) void reload();
    },
    resync: () => void reload(),
    event: onEvent,
    status: (s) => {
      state.live = s;
      render();
    },
    sessionEnded: () => endSession("Sua sessão terminou. Entre novamente."),
    checkSession: async () => {
      try {
        await api.me(session.token);
        return "valid";
      } catch (err) {
        return err instanceof api.ApiError && err.status === 401 ? "invalid" : "unreachable";
      }
    },
  });
  feed.start();
  timers = [
    setInterval(render, 30_000), // the clock, "today", overdue cards
    setInterval(() => void reload(), RELOAD_EVERY_MS),
  ];
}

function endSession(message: string): void {
  feed?.stop();
  feed = null;
  for (const t of timers) clearInterval(t);
  timers = [];
  state.session = null;
  localStorage.removeItem(SESSION_KEY);
  showLogin(message);
}

// ---- data -----------------------------------------------------------------------------------------------------

/** Loads everything on the board; events arriving meanwhile are applied after it, in order. */
async function reload(): Promise<void> {
  const session = state.session;
  if (!session) return;
  if (state.loading) {
    state.reloadAgain = true;
    return;
  }
  state.loading = true;
  state.queue = [];
  if (!state.loaded) state.live = "carregando";
  render();
  try {
    const list = await api.boardOrders(session.token, B.shiftDay(today(), -B.READY_DAYS));
    if (state.session !== session) return;
    const next = new Map<number, B.Order>();
    for (const o of list) if (B.onBoard(o, today())) next.set(o.id, B.slim(o));
    state.orders = next;
    state.loaded = true;
    state.notice = "";
  } catch (err) {
    if (err instanceof api.ApiError && err.status === 401) return endSession("Sua sessão terminou. Entre novamente.");
    state.notice = `Não foi possível carregar os pedidos (${(err as Error).message}). Tentando de novo…`;
    state.reloadAgain = true;
  } finally {
    state.loading = false;
  }
  const queued = state.queue;
  state.queue = [];
  for (const m of queued) onEvent(m);
  if (state.live === "carregando") state.live = "ao-vivo";
  render();
  if (state.reloadAgain) {
    state.reloadAgain = false;
    setTimeout(() => void reload(), state.loaded ? 0 : 3_000);
  }
}

function onEvent(m: OrderMessage): void {
  if (state.loading) {
    if (state.queue.length < QUEUE_LIMIT) state.queue.push(m);
    else state.reloadAgain = true;
    return;
  }
  const id = Number(m.order_id ?? (m.order as { id?: unknown } | undefined)?.id);
  if (!Number.isSafeInteger(id)) return;
  if (m.type === "order_deleted") {
    state.orders.delete(id);
    render();
  } else if (ORDER_EVENTS.has(m.type)) {
    // Above 256 KiB the server sends the event without its order: fetch it.
    if (m.order && typeof m.order === "object") upsert(m.order as B.Order);
    else void fetchOrder(id);
  }
}

async function fetchOrder(id: number): Promise<void> {
  const session = state.session;
  if (!session) return;
  try {
    const o = await api.order(session.token, id);
    if (o) upsert(o);
    else state.orders.delete(id);
    render();
  } catch {
    // the next event or reload brings it
  }
}

function upsert(raw: B.Order): void {
  const o = B.slim(raw);
  const cur = state.orders.get(o.id);
  // An event older than what a reload already read (it was committed while the list was being read).
  if (cur?.ultima_atualizacao && o.ultima_atualizacao && o.ultima_atualizacao < cur.ultima_atualizacao) return;
  if (B.onBoard(o, today())) state.orders.set(o.id, o);
  else state.orders.delete(o.id);
  state.changed.set(o.id, Date.now());
  render();
}

// ---- the board ------------------------------------------------------------------------------------------------

let els: {
  clock: HTMLElement;
  stats: Record<keyof B.Totals, HTMLElement>;
  live: HTMLElement;
  liveText: HTMLElement;
  notice: HTMLElement;
  board: HTMLElement;
  columns: Map<string, { section: HTMLElement; count: HTMLElement; list: HTMLElement }>;
  sector: HTMLSelectElement;
  date: HTMLSelectElement;
  day: HTMLInputElement;
  dialog: HTMLDialogElement;
};

const LIVE_TEXT: Record<string, string> = {
  "ao-vivo": "Ao vivo",
  conectando: "Conectando…",
  reconectando: "Reconectando…",
  carregando: "Carregando…",
};

function buildBoard(): void {
  const session = state.session!;
  const stat = (key: keyof B.Totals, label: string) => {
    const n = h("strong", {}, "0");
    return [h("div", { class: `stat stat-${key}`, "data-total": key }, n, h("span", {}, label)), n] as const;
  };
  const stats = [
    stat("entradas", "Entraram hoje"),
    stat("producao", "Em produção"),
    stat("atrasados", "Atrasados"),
    stat("prontos", "Prontos"),
  ];
  const liveText = h("span", {}, "");
  const live = h("span", { class: "live", role: "status", "aria-live": "polite" }, h("i", { "aria-hidden": "true" }), liveText);
  const sector = h("select", { id: "f-setor", "aria-label": "Setor" }, ...B.SECTORS.map((s) => h("option", { value: s.id }, s.label)));
  const date = h(
    "select",
    { id: "f-data", "aria-label": "Entrega" },
    ...B.DATE_FILTERS.map((d) => h("option", { value: d.id }, d.label)),
    h("option", { value: "dia" }, "Escolher dia…"),
  );
  const day = h("input", { id: "f-dia", type: "date", "aria-label": "Dia de entrega" });
  sector.value = state.sector;
  date.value = state.date.startsWith("dia:") ? "dia" : state.date;
  day.hidden = !state.date.startsWith("dia:");
  if (state.date.startsWith("dia:")) day.value = state.date.slice(4);
  const saveFilters = () => {
    localStorage.setItem(FILTERS_KEY, JSON.stringify({ sector: state.sector, date: state.date }));
    render();
  };
  sector.addEventListener("change", () => {
    state.sector = sector.value;
    saveFilters();
  });
  date.addEventListener("change", () => {
    day.hidden = date.value !== "dia";
    if (date.value === "dia") {
      day.value ||= today();
      state.date = `dia:${day.value}`;
    } else state.date = date.value as B.DateFilter;
    saveFilters();
  });
  day.addEventListener("change", () => {
    if (day.value) state.date = `dia:${day.value}`;
    saveFilters();
  });
  const logout = h("button", { type: "button", class: "sair" }, "Sair");
  logout.addEventListener("click", () => {
    void api.logout(session.token);
    endSession("");
  });
  const dialog = h("dialog", { class: "acao" });
  const clock = h("time", { class: "relogio" });
  const notice = h("p", { class: "aviso", role: "alert" });
  const board = h("main", { class: "quadro" });
  document.body.replaceChildren(
    h(
      "header",
      { class: "topo" },
      h("div", { class: "marca" }, h("h1", {}, "Produção"), clock),
      h("div", { class: "numeros" }, ...stats.map((s) => s[0])),
      h("div", { class: "conta" }, live, h("span", { class: "usuario" }, session.username), logout),
    ),
    h("nav", { class: "filtros" }, h("label", {}, "Setor", sector), h("label", {}, "Entrega", date, day)),
    notice,
    board,
    dialog,
  );
  els = {
    clock,
    live,
    liveText,
    notice,
    board,
    sector,
    date,
    day,
    dialog,
    columns: new Map(),
    stats: Object.fromEntries(stats.map(([el, n]) => [el.dataset.total, n])) as Record<keyof B.Totals, HTMLElement>,
  };
  render();
}

/** Schedules one render for the next frame, however many changes arrive before it. */
function render(): void {
  if (renderQueued || !state.session) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    if (state.session) paint();
  });
}

function paint(): void {
  const day = today();
  const now = new Date();
  els.clock.textContent = `${now.toLocaleDateString("pt-BR", { weekday: "short", day: "2-digit", month: "2-digit" })} ${now.toLocaleTimeString("pt-BR", { hour: "2-digit", minute: "2-digit" })}`;
  const t = B.totals(state.orders.values(), day);
  for (const k of Object.keys(t) as (keyof B.Totals)[]) els.stats[k].textContent = String(t[k]);
  els.live.dataset.live = state.live;
  els.liveText.textContent = LIVE_TEXT[state.live] ?? state.live;
  els.notice.textContent = state.notice;
  els.notice.hidden = !state.notice;

  const columns = B.buildColumns(state.orders.values(), state.sector, state.date, day);
  const ids = columns.map((c) => c.id).join(",");
  if (els.board.dataset.ids !== ids) {
    // Another sector: new column elements (a column kept across renders keeps its scroll position).
    els.columns = new Map();
    els.board.replaceChildren(
      ...columns.map((c) => {
        const count = h("span", { class: "contagem" });
        const list = h("ol", { class: "cartoes" });
        const section = h(
          "section",
          { class: `coluna coluna-${c.id}`, "data-column": c.id },
          h("h2", { title: c.label }, h("span", {}, c.label), count),
          list,
        );
        els.columns.set(c.id, { section, count, list });
        return section;
      }),
    );
    els.board.dataset.ids = ids;
    els.board.style.setProperty("--colunas", String(columns.length));
  }
  const flashSince = Date.now() - FLASH_MS;
  for (const [id, at] of state.changed) if (at < flashSince) state.changed.delete(id);
  for (const c of columns) {
    const col = els.columns.get(c.id)!;
    col.count.textContent = String(c.orders.length);
    col.list.replaceChildren(...(c.orders.length ? c.orders.map((o) => card(o, day)) : [h("li", { class: "vazio" }, "Nenhum pedido")]));
  }
  if (state.changed.size && !flashTimer) {
    flashTimer = setTimeout(() => {
      flashTimer = null;
      render();
    }, FLASH_MS);
  }
}

const itemCount = (o: B.Order) => `${o.itens ?? 0} ${o.itens === 1 ? "item" : "itens"}`;

function card(o: B.Order, day: string): HTMLElement {
  const user = state.session!;
  const movable = !!(B.advanceStage(user, o) || B.backStage(user, o));
  const late = B.isOverdue(o, day);
  const body: Child[] = [
    h(
      "span",
      { class: "linha" },
      h("span", { class: "numero" }, `#${B.shortNumero(o.numero)}`),
      B.isUrgent(o) && h("span", { class: "selo" }, "URGENTE"),
    ),
    h("span", { class: "cliente" }, o.cliente || "—"),
    h(
      "span",
      { class: "linha" },
      h("span", { class: "entrega" }, B.deliveryLabel(o, day, true)),
      h("span", { class: "itens" }, itemCount(o)),
    ),
  ];
  const inner = movable
    ? h("button", { type: "button", class: "corpo", "aria-label": `Pedido ${B.shortNumero(o.numero)}, ${o.cliente}: mover` }, ...body)
    : h("div", { class: "corpo" }, ...body);
  if (movable) inner.addEventListener("click", () => openActions(o.id));
  const classes = ["cartao", late && "atrasado", B.isUrgent(o) && "urgente", state.changed.has(o.id) && "mudou", movable && "movel"]
    .filter(Boolean)
    .join(" ");
  return h("li", { class: classes, "data-order-id": o.id }, inner);
}

/** `<dialog>` where the browser has it (every current one); an old TV browser gets a plain open box. */
const showDialog = (d: HTMLDialogElement) => (typeof d.showModal === "function" ? d.showModal() : d.setAttribute("open", ""));
const closeDialog = (d: HTMLDialogElement) => (typeof d.close === "function" ? d.close() : d.removeAttribute("open"));

const stageLabel = (s: B.Stage) => B.COLUMNS.find((c) => c.id === s)!.stage;

function openActions(id: number): void {
  const o = state.orders.get(id);
  const session = state.session;
  if (!o || !session) return;
  const dialog = els.dialog;
  const forward = B.advanceStage(session, o);
  const back = B.backStage(session, o);
  const error = h("p", { class: "erro", role: "alert" });
  const buttons: HTMLButtonElement[] = [];
  const action = (label: string, cls: string, stage: B.Stage, value: boolean) => {
    const b = h("button", { type: "button", class: cls, "data-acao": value ? "avancar" : "voltar" }, label);
    b.addEventListener("click", async () => {
      for (const x of buttons) x.disabled = true;
      error.textContent = "";
      try {
        upsert(await api.patchOrder(session.token, o.id, B.stagePatch(state.orders.get(o.id) ?? o, stage, value)));
        closeDialog(dialog);
      } catch (err) {
        if (err instanceof api.ApiError && err.status === 401) return endSession("Sua sessão terminou. Entre novamente.");
        error.textContent = (err as Error).message;
        for (const x of buttons) x.disabled = false;
      }
    });
    buttons.push(b);
    return b;
  };
  const close = h("button", { type: "button", class: "fechar" }, "Fechar");
  close.addEventListener("click", () => closeDialog(dialog));
  dialog.replaceChildren(
    h("h2", {}, `Pedido #${B.shortNumero(o.numero)}`),
    h("p", { class: "cliente" }, o.cliente),
    h("p", {}, `Entrega: ${B.deliveryLabel(o, today())} · ${itemCount(o)}`),
    h("p", {}, `Etapa: ${B.COLUMNS.find((c) => c.id === B.columnOf(o))!.label}`),
    h(
      "div",
      { class: "botoes" },
      forward && action(forward === "financeiro" ? "Liberar financeiro" : `Concluir ${stageLabel(forward)}`, "avancar", forward, true),
      back && action(`Desfazer ${stageLabel(back)}`, "voltar", back, false),
      close,
    ),
    error,
  );
  showDialog(dialog);
  (buttons[0] ?? close).focus();
}

start();
