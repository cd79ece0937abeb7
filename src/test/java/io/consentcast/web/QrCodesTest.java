package io.consentcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

class QrCodesTest {

    @Test
    void thePngScansBackToTheLink() throws Exception {
        String link = "https://wa.me/4915112345678?text=MORGEN%20K7P2QX";
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(QrCodes.png(link, 8)));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
        assertEquals(link, decoded);
    }

    @Test
    void theSvgIsAScalableImageWithModules() {
        String svg = QrCodes.svg("https://example.org/p/morgenpost/news");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "), svg);
        assertTrue(svg.contains("h1v1h-1z"));
    }
}
