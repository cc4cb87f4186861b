/**
 * A stand-in for XMLHttpRequest (the presigned POST to the bucket): records each request and
 * lets a test report upload progress, finish, fail or see the abort.
 * `FakeXhr.autoRespond = true` finishes every upload at once (progress to 100 %, then 204).
 */
type Handler = ((event: ProgressEvent) => void) | null;

export class FakeXhr {
  static instances: FakeXhr[] = [];
  static autoRespond = false;

  method = '';
  url = '';
  body: FormData | null = null;
  status = 0;
  responseText = '';
  aborted = false;
  readonly upload: { onprogress: Handler } = { onprogress: null };
  onload: Handler = null;
  onerror: Handler = null;
  onabort: Handler = null;

  static reset(): void {
    FakeXhr.instances = [];
    FakeXhr.autoRespond = false;
  }

  static last(): FakeXhr | undefined {
    return FakeXhr.instances.at(-1);
  }

  constructor() {
    FakeXhr.instances.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(): void {}

  send(body: FormData): void {
    this.body = body;
    if (FakeXhr.autoRespond) {
      queueMicrotask(() => {
        const file = body.get('file') as Blob | null;
        this.progress(file?.size ?? 1, file?.size ?? 1);
        this.respond(204);
      });
    }
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.onabort?.(new ProgressEvent('abort'));
  }

  /** Field names in the order they were appended. */
  fieldNames(): string[] {
    return this.body ? [...this.body.keys()] : [];
  }

  progress(loaded: number, total: number): void {
    this.upload.onprogress?.(new ProgressEvent('progress', { loaded, total, lengthComputable: true }));
  }

  respond(status: number, text = ''): void {
    this.status = status;
    this.responseText = text;
    this.onload?.(new ProgressEvent('load'));
  }

  fail(): void {
    this.onerror?.(new ProgressEvent('error'));
  }
}
