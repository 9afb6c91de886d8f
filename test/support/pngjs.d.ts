/** The part of `pngjs` the tests use to read a PNG back (the package ships no types). */
declare module 'pngjs' {
  export class PNG {
    width: number;
    height: number;
    /** RGBA, four bytes a pixel, row after row. */
    data: Buffer;
    static sync: { read(buffer: Buffer): PNG };
  }
}
