/** Files carried by a drop or a paste (`DataTransfer`): `files` first, else file `items`. */
export function filesFromTransfer(transfer: DataTransfer | null | undefined): File[] {
  if (!transfer) return [];
  const files = transfer.files ? Array.from(transfer.files) : [];
  if (files.length) return files;
  const items = transfer.items ? Array.from(transfer.items) : [];
  return items
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}

/** True while something being dragged carries files (not text or a link from the page). */
export function dragHasFiles(transfer: DataTransfer | null | undefined): boolean {
  if (!transfer) return false;
  const types = transfer.types ? Array.from(transfer.types) : [];
  return types.includes('Files') || (transfer.files?.length ?? 0) > 0;
}
