// `sgp admin create <usuário>`: a new active admin, from a prompt or `--password-stdin`.
import { createAdmin } from "../../../lib/ops/admin.ts";
import { defineCommand } from "../command.ts";
import { readNewPassword } from "../io.ts";
import { withDatabase } from "./_database.ts";

export default defineCommand({
  name: "admin create",
  summary: "cria um administrador",
  usage: "admin create <usuário>",
  description:
    "Pergunta a senha (duas vezes, sem mostrá-la), ou a lê da entrada padrão com --password-stdin.\nFunciona com o servidor rodando.",
  options: { "password-stdin": { type: "boolean" }, setor: { type: "string" } },
  optionHelp: { "password-stdin": "lê a senha da primeira linha da entrada padrão", setor: "setor do usuário (padrão geral)" },
  positionals: { min: 1, max: 1, names: "<usuário>" },
  async run(ctx) {
    const username = ctx.positionals[0];
    const password = await readNewPassword(ctx.io, ctx.values["password-stdin"] === true);
    const user = await withDatabase(ctx, (db) => createAdmin(db, username, password, ctx.values.setor?.trim() || "geral"));
    ctx.print(`administrador "${user.username}" criado (id ${user.id})`);
    return 0;
  },
});
