"""Reading QR codes back as a shopper's phone would, with a real decoder (zxing-cpp), from a
served PNG or a label sheet's page rasterised as a printer would."""

import zxingcpp
from PIL import Image


def decode_qr(image: Image.Image) -> list[str]:
    """The texts of the QR codes found in ``image`` (read in greyscale)."""
    return [result.text for result in zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)]
