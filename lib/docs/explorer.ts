/**
 * Our part of the /docs page: Swagger UI's setup and the "Entrar" form (username and password → `POST /auth/login`
 * → the bearer authorized with the `session_token`, as if pasted into "Authorize"). Served as files, never inline:
 * the page's CSP allows no inline script. Plain ES2017 for any browser the shop has; no build step.
 */

export const EXPLORER_SCRIPT = `"use strict";
(function () {
  // Where Swagger UI keeps a persisted authorization (persistAuthorization): the token survives a reload.
  var STORED = "authorized";
  var form = document.getElementById("sgp-entrar");
  var sessao = document.getElementById("sgp-sessao");
  var usuario = document.getElementById("sgp-usuario");
  var aviso = document.getElementById("sgp-aviso");

  var ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "BaseLayout",
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    filter: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    // No online validator badge: it would load an image from validator.swagger.io.
    validatorUrl: null,
  });

  function say(text, erro) {
    aviso.textContent = text;
    aviso.classList.toggle("sgp-erro", !!erro);
  }

  function storedToken() {
    try {
      var auth = JSON.parse(localStorage.getItem(STORED) || "null");
      return (auth && auth.bearer && auth.bearer.value) || null;
    } catch (e) {
      return null;
    }
  }

  function showSession(name) {
    form.hidden = !!name;
    sessao.hidden = !name;
    usuario.textContent = name || "";
  }

  function detailOf(body, status) {
    if (body && typeof body.detail === "string") return body.detail;
    if (body && Array.isArray(body.detail)) return body.detail.map(function (d) { return d.msg; }).join("; ");
    return "Erro " + status;
  }

  function call(method, path, token, body) {
    var headers = { accept: "application/json" };
    if (token) headers.authorization = "Bearer " + token;
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (b) { return { status: r.status, body: b }; });
    });
  }

  // A token kept from an earlier visit (Swagger UI restores it): show whose it is, or drop it when it ended.
  function restore() {
    var token = storedToken();
    if (!token) return;
    call("GET", "/auth/me", token).then(function (r) {
      if (r.status === 200 && r.body) return showSession(r.body.username);
      ui.authActions.logoutWithPersistOption(["bearer"]);
      showSession(null);
      say("A sessão anterior terminou; entre de novo.", true);
    }, function () {});
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = new FormData(form);
    var button = form.querySelector("button");
    button.disabled = true;
    say("Entrando…");
    call("POST", "/auth/login", null, { username: String(data.get("username") || ""), password: String(data.get("password") || "") })
      .then(function (r) {
        if (r.status !== 200 || !r.body || !r.body.session_token) return say(detailOf(r.body, r.status), true);
        ui.preauthorizeApiKey("bearer", r.body.session_token);
        // As "Authorize" does: kept in localStorage (persistAuthorization), so a reload keeps the session.
        ui.authActions.persistAuthorizationIfNeeded();
        form.reset();
        showSession(r.body.username);
        say("Sessão iniciada: as requisições de \\u201cTry it out\\u201d levam o token.");
      }, function () { say("Servidor inacessível.", true); })
      .then(function () { button.disabled = false; });
  });

  document.getElementById("sgp-sair").addEventListener("click", function () {
    var token = storedToken();
    ui.authActions.logoutWithPersistOption(["bearer"]);
    showSession(null);
    say("Sessão encerrada.");
    if (token) call("POST", "/auth/logout", token).catch(function () {});
  });

  restore();
})();
`;

export const EXPLORER_STYLE = `.sgp-topo{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;max-width:1460px;margin:0 auto;padding:12px 20px;font-family:sans-serif;color:#3b4151;border-bottom:1px solid #e4e4e4}
.sgp-topo h1{font-size:1.25rem;margin:0}
.sgp-topo p{margin:0}
.sgp-entrar,.sgp-sessao{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-left:auto}
.sgp-entrar label{display:flex;align-items:center;gap:.35rem;font-size:.9rem}
.sgp-entrar input{padding:5px 8px;border:1px solid #b8b8b8;border-radius:4px;font:inherit;width:11rem}
.sgp-topo button{padding:5px 14px;border:2px solid #49cc90;border-radius:4px;background:#fff;color:#3b4151;font:inherit;font-weight:700;cursor:pointer}
.sgp-topo button:disabled{opacity:.5;cursor:wait}
.sgp-aviso{flex-basis:100%;font-size:.9rem;min-height:1.2em}
.sgp-aviso.sgp-erro{color:#c0392b}
[hidden]{display:none!important}
`;
