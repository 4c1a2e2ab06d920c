namespace WebConsole.Demo;

/// <summary>
/// A small synthetic "photo": a landscape of sky, sun, clouds, far mountains and near hills made
/// of smooth value noise, with per-pixel grain. Every seed gives a different picture. It exists
/// to give lossy encoders (JPEG) realistic content: smooth gradients plus fine noise.
/// </summary>
internal sealed class PhotoNoise
{
    /// <summary>Picture width in pixels.</summary>
    public const int Width = 320;

    /// <summary>Picture height in pixels.</summary>
    public const int Height = 180;

    private static readonly (uint SkyTop, uint SkyLow, uint Sun, uint Far, uint Near)[] Moods =
    [
        (0xFF1B3A7A, 0xFFF3A45C, 0xFFFFE3A0, 0xFF4A3F6A, 0xFF2F5A2A), // sunset
        (0xFF2A78D0, 0xFFBFE0F5, 0xFFFFFFF0, 0xFF56698A, 0xFF4E8A3A), // midday
        (0xFF0C1232, 0xFF7A3D78, 0xFFFFB0C8, 0xFF2A2448, 0xFF1E3324), // dusk
        (0xFF5A7FB8, 0xFFF6D6B0, 0xFFFFF2D0, 0xFF646A86, 0xFF6A7F3A), // dawn
    ];

    private readonly uint[] _pixels = new uint[Width * Height];
    private readonly int[] _ridge = new int[Width];
    private readonly int[] _hills = new int[Width];

    /// <summary>The picture, row-major XRGB8888.</summary>
    public ReadOnlySpan<uint> Pixels => _pixels;

    /// <summary>Draws the picture for <paramref name="seed"/>; the same seed always gives the same pixels.</summary>
    public void Generate(uint seed)
    {
        var mood = Moods[(int)(Hash(seed, 1, 2) % (uint)Moods.Length)];
        float sunX = 40 + Hash(seed, 3, 4) % (Width - 80);
        float sunY = 25 + Hash(seed, 5, 6) % 50;
        for (int x = 0; x < Width; x++)
        {
            // Ridged noise gives peaks; plain noise gives rolling hills in front of them.
            float r = 1 - Math.Abs(2 * Fbm(seed ^ 0xA1, x / 70f, 0.5f, 5) - 1);
            _ridge[x] = (int)(Height * (0.60f - 0.34f * r * r));
            _hills[x] = (int)(Height * (0.80f - 0.18f * Fbm(seed ^ 0xB2, x / 55f, 3.5f, 4)));
        }
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                float red, green, blue;
                if (y >= _hills[x])
                {
                    float depth = (y - _hills[x]) / (float)(Height - _hills[x] + 1);
                    float texture = 0.65f + 0.7f * Fbm(seed ^ 0xC3, x / 14f, y / 9f, 5);
                    float shade = texture * (1.05f - 0.45f * depth);
                    red = R(mood.Near) * shade;
                    green = G(mood.Near) * shade;
                    blue = B(mood.Near) * shade;
                }
                else if (y >= _ridge[x])
                {
                    // Rock as a height field lit from the left; snow above a ragged snow line.
                    float left = Fbm(seed ^ 0xD4, (x - 1) / 26f, y / 13f, 5), right = Fbm(seed ^ 0xD4, (x + 1) / 26f, y / 13f, 5);
                    float light = Math.Clamp(1 + 9 * (right - left), 0.45f, 1.5f);
                    float below = (y - _ridge[x]) / (float)(_hills[x] - _ridge[x] + 1);
                    float snowLine = Height * 0.36f + 18 * (left - 0.5f) * 4;
                    float snow = y < snowLine ? SmoothStep(0, 6, snowLine - y) * SmoothStep(0.35f, 0.55f, left) : 0;
                    float shade = light * (1.05f - 0.35f * below);
                    red = Mix(Mix(R(mood.Far) * shade, R(mood.SkyLow), 0.22f), 235 * light, snow);
                    green = Mix(Mix(G(mood.Far) * shade, G(mood.SkyLow), 0.22f), 240 * light, snow);
                    blue = Mix(Mix(B(mood.Far) * shade, B(mood.SkyLow), 0.22f), 248 * light, snow);
                }
                else
                {
                    float t = MathF.Pow(y / (float)Height / 0.62f, 1.4f);
                    red = Mix(R(mood.SkyTop), R(mood.SkyLow), t);
                    green = Mix(G(mood.SkyTop), G(mood.SkyLow), t);
                    blue = Mix(B(mood.SkyTop), B(mood.SkyLow), t);
                    float dx = x - sunX, dy = y - sunY, d2 = dx * dx + dy * dy;
                    float glow = MathF.Exp(-d2 / 90f) + 0.35f * MathF.Exp(-d2 / 2200f);
                    float cloud = SmoothStep(0.52f, 0.75f, Fbm(seed ^ 0xE5, x / 48f, y / 16f, 5)) * 0.85f;
                    red = Mix(red + glow * R(mood.Sun), 235 + 20 * glow, cloud);
                    green = Mix(green + glow * G(mood.Sun), 230 + 20 * glow, cloud);
                    blue = Mix(blue + glow * B(mood.Sun), 228 + 20 * glow, cloud);
                }
                int grain = (int)(Hash(seed ^ 0xF6, x, y) % 17) - 8;
                _pixels[y * Width + x] = Colors.Rgb((int)red + grain, (int)green + grain, (int)blue + grain);
            }
        }
    }

    private static float R(uint c) => (c >> 16) & 0xFF;

    private static float G(uint c) => (c >> 8) & 0xFF;

    private static float B(uint c) => c & 0xFF;

    private static float Mix(float a, float b, float t) => a + (b - a) * Math.Clamp(t, 0, 1);

    private static float SmoothStep(float edge0, float edge1, float x)
    {
        float t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Fractal value noise in 0..1: octaves of smooth noise, each twice as fine and half as strong.</summary>
    private static float Fbm(uint seed, float x, float y, int octaves)
    {
        float sum = 0, amplitude = 0.5f, total = 0;
        for (int i = 0; i < octaves; i++)
        {
            sum += amplitude * ValueNoise(seed + (uint)i * 101, x, y);
            total += amplitude;
            x *= 2;
            y *= 2;
            amplitude *= 0.5f;
        }
        return sum / total;
    }

    private static float ValueNoise(uint seed, float x, float y)
    {
        int ix = (int)MathF.Floor(x), iy = (int)MathF.Floor(y);
        float fx = x - ix, fy = y - iy;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        float top = Mix(Lattice(seed, ix, iy), Lattice(seed, ix + 1, iy), fx);
        float bottom = Mix(Lattice(seed, ix, iy + 1), Lattice(seed, ix + 1, iy + 1), fx);
        return Mix(top, bottom, fy);
    }

    private static float Lattice(uint seed, int x, int y) => (Hash(seed, x, y) & 0xFFFF) / 65535f;

    /// <summary>A well-mixed 32-bit hash of a seed and a lattice point: deterministic pseudo-random numbers without state.</summary>
    private static uint Hash(uint seed, int x, int y)
    {
        uint h = seed * 0x9E3779B1u ^ (uint)x * 0x85EBCA77u ^ (uint)y * 0xC2B2AE3Du;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        return h;
    }
}
