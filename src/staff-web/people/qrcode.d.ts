/** The part of the `qrcode` package the staff console uses (the package ships no types). */
declare module 'qrcode' {
  interface QRCodeToStringOptions {
    type?: 'svg' | 'utf8' | 'terminal';
    margin?: number;
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    color?: { dark?: string; light?: string };
  }
  const QRCode: { toString(text: string, options?: QRCodeToStringOptions): Promise<string> };
  export default QRCode;
}
