// Print-ready QR codes of a referral link (the `qrcode` package). Error correction M survives a
// scuffed poster; a 4-module quiet zone is what scanners expect; the PNG is 1200 px (4 in at 300 dpi).
import QRCode from "qrcode";

const QR_OPTIONS = { errorCorrectionLevel: "M", margin: 4 } as const;

export function renderQrSvg(link: string): Promise<string> {
  return QRCode.toString(link, { ...QR_OPTIONS, type: "svg", width: 1200 });
}

export function renderQrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { ...QR_OPTIONS, type: "png", width: 1200 });
}
