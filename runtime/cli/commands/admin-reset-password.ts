// `sgp admin reset-password <usuário>`: sets a new password, reactivates the account and ends its sessions.
import { resetPassword } from "../../../lib/ops/admin.ts";
import { defineCommand } from "../command.ts";
import { readNewPassword } from "../io.ts";
import { withDatabase } from "./_database.ts";

export default defineCommand({
  name: "admin reset-password",
  summary: "troca a senha e encerra as sessões do usuário",
  usage: "admin reset-password <usuário>",
  description:
    "Para quando a senha do administrador se perdeu. Reativa a conta se estava desativada e encerra todas as\n" +
    "sessões abertas dela (HTTP e tempo real, em todos os processos). Funciona com o servidor rodando.",
  options: { "password-stdin": { type: "boolean" } },
  optionHelp: { "password-stdin": "lê a senha da primeira linha da entrada padrão" },
  positionals: { min: 1, max: 1, names: "<usuário>" },
  async run(ctx) {
    const username = ctx.positionals[0];
    const password = await readNewPassword(ctx.io, ctx.values["password-stdin"] === true);
    const { user, reactivated } = await withDatabase(ctx, (db) => resetPassword(db, username, password));
    ctx.print(`senha de "${user.username}" trocada; sessões anteriores encerradas${reactivated ? "; conta reativada" : ""}`);
    return 0;
  },
});
