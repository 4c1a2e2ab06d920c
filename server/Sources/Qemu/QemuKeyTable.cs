namespace WebConsole.Sources.Qemu;

/// <summary>
/// The page's evdev key codes (linux/input-event-codes.h) to QEMU's key numbers, the "qnum" that
/// <c>org.qemu.Display1.Keyboard.Press/Release</c> take: PC/XT scan code set 1, with a 0xE0-prefixed
/// key as 0x80 | its second byte (Right Ctrl 0xE0 0x1D is 0x9D). Generated from QEMU's keycodemapdb
/// (data/keymaps.csv, "AT set1 keycode" column, re-encoded as tools/keymap-gen does for qnum);
/// QEMU maps the number back with qemu_input_key_number_to_linux.
/// </summary>
internal static class QemuKeyTable
{
    /// <summary>Every evdev code that has a QEMU key number.</summary>
    public static IEnumerable<ushort> Codes
    {
        get
        {
            for (int i = 0; i < s_qnum.Length; i++)
            {
                if (s_qnum[i] != 0)
                {
                    yield return (ushort)i;
                }
            }
        }
    }

    /// <summary>The QEMU key number of evdev <paramref name="code"/>; false for a key QEMU cannot send.</summary>
    public static bool TryGetQnum(ushort code, out uint qnum)
    {
        qnum = code < s_qnum.Length ? s_qnum[code] : 0u;
        return qnum != 0;
    }

    private static ushort[] Build()
    {
        var table = new ushort[256];
        foreach ((ushort evdev, ushort qnum) in s_entries)
        {
            table[evdev] = qnum;
        }
        return table;
    }

    // (evdev code, qnum), with the evdev name.
    private static readonly (ushort Evdev, ushort Qnum)[] s_entries =
    [
        (1, 0x01), // KEY_ESC
        (2, 0x02), // KEY_1
        (3, 0x03), // KEY_2
        (4, 0x04), // KEY_3
        (5, 0x05), // KEY_4
        (6, 0x06), // KEY_5
        (7, 0x07), // KEY_6
        (8, 0x08), // KEY_7
        (9, 0x09), // KEY_8
        (10, 0x0a), // KEY_9
        (11, 0x0b), // KEY_0
        (12, 0x0c), // KEY_MINUS
        (13, 0x0d), // KEY_EQUAL
        (14, 0x0e), // KEY_BACKSPACE
        (15, 0x0f), // KEY_TAB
        (16, 0x10), // KEY_Q
        (17, 0x11), // KEY_W
        (18, 0x12), // KEY_E
        (19, 0x13), // KEY_R
        (20, 0x14), // KEY_T
        (21, 0x15), // KEY_Y
        (22, 0x16), // KEY_U
        (23, 0x17), // KEY_I
        (24, 0x18), // KEY_O
        (25, 0x19), // KEY_P
        (26, 0x1a), // KEY_LEFTBRACE
        (27, 0x1b), // KEY_RIGHTBRACE
        (28, 0x1c), // KEY_ENTER
        (29, 0x1d), // KEY_LEFTCTRL
        (30, 0x1e), // KEY_A
        (31, 0x1f), // KEY_S
        (32, 0x20), // KEY_D
        (33, 0x21), // KEY_F
        (34, 0x22), // KEY_G
        (35, 0x23), // KEY_H
        (36, 0x24), // KEY_J
        (37, 0x25), // KEY_K
        (38, 0x26), // KEY_L
        (39, 0x27), // KEY_SEMICOLON
        (40, 0x28), // KEY_APOSTROPHE
        (41, 0x29), // KEY_GRAVE
        (42, 0x2a), // KEY_SHIFT
        (43, 0x2b), // KEY_BACKSLASH
        (44, 0x2c), // KEY_Z
        (45, 0x2d), // KEY_X
        (46, 0x2e), // KEY_C
        (47, 0x2f), // KEY_V
        (48, 0x30), // KEY_B
        (49, 0x31), // KEY_N
        (50, 0x32), // KEY_M
        (51, 0x33), // KEY_COMMA
        (52, 0x34), // KEY_DOT
        (53, 0x35), // KEY_SLASH
        (54, 0x36), // KEY_RIGHTSHIFT
        (55, 0x37), // KEY_KPASTERISK
        (56, 0x38), // KEY_LEFTALT
        (57, 0x39), // KEY_SPACE
        (58, 0x3a), // KEY_CAPSLOCK
        (59, 0x3b), // KEY_F1
        (60, 0x3c), // KEY_F2
        (61, 0x3d), // KEY_F3
        (62, 0x3e), // KEY_F4
        (63, 0x3f), // KEY_F5
        (64, 0x40), // KEY_F6
        (65, 0x41), // KEY_F7
        (66, 0x42), // KEY_F8
        (67, 0x43), // KEY_F9
        (68, 0x44), // KEY_F10
        (69, 0x45), // KEY_NUMLOCK
        (70, 0x46), // KEY_SCROLLLOCK
        (71, 0x47), // KEY_KP7
        (72, 0x48), // KEY_KP8
        (73, 0x49), // KEY_KP9
        (74, 0x4a), // KEY_KPMINUS
        (75, 0x4b), // KEY_KP4
        (76, 0x4c), // KEY_KP5
        (77, 0x4d), // KEY_KP6
        (78, 0x4e), // KEY_KPPLUS
        (79, 0x4f), // KEY_KP1
        (80, 0x50), // KEY_KP2
        (81, 0x51), // KEY_KP3
        (82, 0x52), // KEY_KP0
        (83, 0x53), // KEY_KPDOT
        (85, 0x76), // KEY_ZENKAKUHANKAKU
        (86, 0x56), // KEY_102ND
        (87, 0x57), // KEY_F11
        (88, 0x58), // KEY_F12
        (89, 0x73), // KEY_RO
        (90, 0x78), // KEY_KATAKANA
        (91, 0x77), // KEY_HIRAGANA
        (92, 0x79), // KEY_HENKAN
        (93, 0x70), // KEY_KATAKANAHIRAGANA
        (94, 0x7b), // KEY_MUHENKAN
        (95, 0x5c), // KEY_KPJPCOMMA
        (96, 0x9c), // KEY_KPENTER
        (97, 0x9d), // KEY_RIGHTCTRL
        (98, 0xb5), // KEY_KPSLASH
        (99, 0x54), // KEY_SYSRQ
        (100, 0xb8), // KEY_RIGHTALT
        (101, 0x5b), // KEY_LINEFEED
        (102, 0xc7), // KEY_HOME
        (103, 0xc8), // KEY_UP
        (104, 0xc9), // KEY_PAGEUP
        (105, 0xcb), // KEY_LEFT
        (106, 0xcd), // KEY_RIGHT
        (107, 0xcf), // KEY_END
        (108, 0xd0), // KEY_DOWN
        (109, 0xd1), // KEY_PAGEDOWN
        (110, 0xd2), // KEY_INSERT
        (111, 0xd3), // KEY_DELETE
        (112, 0xef), // KEY_MACRO
        (113, 0xa0), // KEY_MUTE
        (114, 0xae), // KEY_VOLUMEDOWN
        (115, 0xb0), // KEY_VOLUMEUP
        (116, 0xde), // KEY_POWER
        (117, 0x59), // KEY_KPEQUAL
        (118, 0xce), // KEY_KPPLUSMINUS
        (119, 0xc6), // KEY_PAUSE
        (120, 0x8b), // KEY_SCALE
        (121, 0x7e), // KEY_KPCOMMA
        (122, 0x72), // KEY_HANGEUL
        (123, 0x71), // KEY_HANJA
        (124, 0x7d), // KEY_YEN
        (125, 0xdb), // KEY_LEFTMETA
        (126, 0xdc), // KEY_RIGHTMETA
        (127, 0xdd), // KEY_COMPOSE
        (128, 0xe8), // KEY_STOP
        (129, 0x85), // KEY_AGAIN
        (130, 0x86), // KEY_PROPS
        (131, 0x87), // KEY_UNDO
        (132, 0x8c), // KEY_FRONT
        (133, 0xf8), // KEY_COPY
        (134, 0x64), // KEY_OPEN
        (135, 0x65), // KEY_PASTE
        (136, 0xc1), // KEY_FIND
        (137, 0xbc), // KEY_CUT
        (138, 0xf5), // KEY_HELP
        (139, 0x9e), // KEY_MENU
        (140, 0xa1), // KEY_CALC
        (141, 0x66), // KEY_SETUP
        (142, 0xdf), // KEY_SLEEP
        (143, 0xe3), // KEY_WAKEUP
        (144, 0x67), // KEY_FILE
        (145, 0x68), // KEY_SENDFILE
        (146, 0x69), // KEY_DELETEFILE
        (147, 0x93), // KEY_XFER
        (148, 0x9f), // KEY_PROG1
        (149, 0x97), // KEY_PROG2
        (150, 0x82), // KEY_WWW
        (151, 0x6a), // KEY_MSDOS
        (152, 0x92), // KEY_SCREENLOCK
        (153, 0x6b), // KEY_DIRECTION
        (154, 0xa6), // KEY_CYCLEWINDOWS
        (155, 0xec), // KEY_MAIL
        (156, 0xe6), // KEY_BOOKMARKS
        (157, 0xeb), // KEY_COMPUTER
        (158, 0xea), // KEY_BACK
        (159, 0xe9), // KEY_FORWARD
        (160, 0xa3), // KEY_CLOSECD
        (161, 0x6c), // KEY_EJECTCD
        (162, 0xfd), // KEY_EJECTCLOSECD
        (163, 0x99), // KEY_NEXTSONG
        (164, 0xa2), // KEY_PLAYPAUSE
        (165, 0x90), // KEY_PREVIOUSSONG
        (166, 0xa4), // KEY_STOPCD
        (167, 0xb1), // KEY_RECORD
        (168, 0x98), // KEY_REWIND
        (169, 0x63), // KEY_PHONE
        (171, 0x81), // KEY_CONFIG
        (172, 0xb2), // KEY_HOMEPAGE
        (173, 0xe7), // KEY_REFRESH
        (176, 0x88), // KEY_EDIT
        (177, 0x75), // KEY_SCROLLUP
        (178, 0x8f), // KEY_SCROLLDOWN
        (179, 0xf6), // KEY_KPLEFTPAREN
        (180, 0xfb), // KEY_KPRIGHTPAREN
        (181, 0x89), // KEY_NEW
        (182, 0x8a), // KEY_REDO
        (183, 0x5d), // KEY_F13
        (184, 0x5e), // KEY_F14
        (185, 0x5f), // KEY_F15
        (186, 0x55), // KEY_F16
        (187, 0x83), // KEY_F17
        (188, 0xf7), // KEY_F18
        (189, 0x84), // KEY_F19
        (190, 0x5a), // KEY_F20
        (191, 0x74), // KEY_F21
        (192, 0xf9), // KEY_F22
        (193, 0x6d), // KEY_F23
        (194, 0x6f), // KEY_F24
        (200, 0xa8), // KEY_PLAYCD
        (201, 0xa9), // KEY_PAUSECD
        (202, 0xab), // KEY_PROG3
        (203, 0xac), // KEY_PROG4
        (204, 0xad), // KEY_DASHBOARD
        (205, 0xa5), // KEY_SUSPEND
        (206, 0xaf), // KEY_CLOSE
        (207, 0xb3), // KEY_PLAY
        (208, 0xb4), // KEY_FASTFORWARD
        (209, 0xb6), // KEY_BASSBOOST
        (210, 0xb9), // KEY_PRINT
        (211, 0xba), // KEY_HP
        (212, 0xbb), // KEY_CAMERA
        (213, 0xbd), // KEY_SOUND
        (214, 0xbe), // KEY_QUESTION
        (215, 0xbf), // KEY_EMAIL
        (216, 0xc0), // KEY_CHAT
        (217, 0xe5), // KEY_SEARCH
        (218, 0xc2), // KEY_CONNECT
        (219, 0xc3), // KEY_FINANCE
        (220, 0xc4), // KEY_SPORT
        (221, 0xc5), // KEY_SHOP
        (222, 0x94), // KEY_ALTERASE
        (223, 0xca), // KEY_CANCEL
        (224, 0xcc), // KEY_BRIGHTNESSDOWN
        (225, 0xd4), // KEY_BRIGHTNESSUP
        (226, 0xed), // KEY_MEDIA
        (227, 0xd6), // KEY_SWITCHVIDEOMODE
        (228, 0xd7), // KEY_KBDILLUMTOGGLE
        (229, 0xd8), // KEY_KBDILLUMDOWN
        (230, 0xd9), // KEY_KBDILLUMUP
        (231, 0xda), // KEY_SEND
        (232, 0xe4), // KEY_REPLY
        (233, 0x8e), // KEY_FORWARDMAIL
        (234, 0xd5), // KEY_SAVE
        (235, 0xf0), // KEY_DOCUMENTS
        (236, 0xf1), // KEY_BATTERY
        (237, 0xf2), // KEY_BLUETOOTH
        (238, 0xf3), // KEY_WLAN
        (239, 0xf4), // KEY_UWB
    ];

    // After the entries: static fields initialise in textual order.
    private static readonly ushort[] s_qnum = Build();
}
