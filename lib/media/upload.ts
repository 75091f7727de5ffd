import { AppError, badRequest } from "../errors.ts";
import type { MediaStore } from "./store.ts";
import { checkImage } from "./check-image.ts";
import { newImageName, TMP_DIR, writeMediaFile } from "./files.ts";
import { mediaUrlOf } from "./refs.ts";

/** The original's answer to the pre-upload (the client reads `server_reference`), plus a signed preview `url`. */
export interface UploadReply {
  success: true;
  server_reference: string;
  image_reference: string;
  path: string;
  filename: string;
  size: number;
  url: string;
}

/**
 * Stores the multipart field `image` under `pedidos/tmp/<uuid>.<ext>`, after checking its bytes. The client's file
 * name and declared type are ignored: the extension comes from the detected type. A tmp file no order takes is swept
 * after a day.
 * @throws AppError 422 (no `image` file), 400 (empty, not an allowed image), 413 (over `maxBytes`).
 */
export async function storeTmpUpload(media: MediaStore, form: FormData, maxBytes: number): Promise<UploadReply> {
  const file = form.get("image");
  if (!(file instanceof Blob)) {
    throw new AppError(422, [{ loc: ["body", "image"], msg: "Field required", type: "missing" }]);
  }
  if (file.size === 0) throw badRequest("Arquivo vazio");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const checked = await checkImage(bytes, maxBytes, "Imagem");
  const filename = newImageName(checked.ext);
  const path = `${TMP_DIR}/${filename}`;
  await writeMediaFile(media, path, bytes);
  return {
    success: true,
    server_reference: path,
    image_reference: path,
    path,
    filename,
    size: checked.size,
    url: media.signer.sign(mediaUrlOf(path)),
  };
}
