namespace WebConsole.Sources.Fbdev;

/// <summary>One <c>struct fb_bitfield</c>: where a colour channel sits in a framebuffer pixel.</summary>
public readonly record struct FbBitfield(uint Offset, uint Length, uint MsbRight);
