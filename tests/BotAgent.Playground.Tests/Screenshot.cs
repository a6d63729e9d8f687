using System.Buffers.Binary;
using System.IO.Compression;

namespace BotAgent.Playground.Tests;

/// <summary>
/// Reads an 8-bit RGB or RGBA PNG (what Chromium's screenshots are) far enough to tell a real page from a
/// blank one: the number of distinct colours, counted up to a cap.
/// </summary>
internal static class Screenshot
{
    public static int DistinctColours(byte[] png, int cap = 256)
    {
        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(signature))
            throw new InvalidDataException("Not a PNG file.");

        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        for (var offset = 8; offset + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0)
                    throw new InvalidDataException("Only 8-bit, non-interlaced PNGs are read here.");
                channels = data[9] switch
                {
                    2 => 3,
                    6 => 4,
                    _ => throw new InvalidDataException($"Colour type {data[9]} is not read here."),
                };
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }
            offset += 12 + length;
        }

        compressed.Position = 0;
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        var stride = width * channels;
        var previous = new byte[stride];
        var row = new byte[stride];
        var colours = new HashSet<int>();
        for (var y = 0; y < height && colours.Count < cap; y++)
        {
            var filter = inflater.ReadByte();
            inflater.ReadExactly(row);
            Unfilter(filter, row, previous, channels);
            for (var x = 0; x < stride; x += channels)
                colours.Add(row[x] << 16 | row[x + 1] << 8 | row[x + 2]);
            (previous, row) = (row, previous);
        }
        return colours.Count;
    }

    private static void Unfilter(int filter, byte[] row, byte[] above, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0, up = above[i], upLeft = i >= bpp ? above[i - bpp] : 0;
            row[i] = (byte)(row[i] + filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
