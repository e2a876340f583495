<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Copied</source>
        <translation>Tersalin</translation>
    </message>
    <message>
        <source>About Zavera Desktop</source>
        <translation>Tentang Zavera Desktop</translation>
    </message>
    <message>
        <source>Every Midtrans payment of the Zavera shop, live and exactly once.</source>
        <translation>Setiap pembayaran Midtrans toko Zavera, langsung dan tepat satu kali.</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Versi:</translation>
    </message>
    <message>
        <source>Log file:</source>
        <translation>Berkas log:</translation>
    </message>
    <message>
        <source>none (logging is off)</source>
        <translation>tidak ada (log dimatikan)</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Buka folder</translation>
    </message>
    <message>
        <source>Data folder:</source>
        <translation>Folder data:</translation>
    </message>
    <message>
        <source>Copy diagnostics</source>
        <translation>Salin diagnostik</translation>
    </message>
    <message>
        <source>Versions, platform, backend address, connection state, counts and the notification method, for whoever helps you. No password, token or key is included.</source>
        <translation>Versi, platform, alamat backend, status koneksi, jumlah, dan cara notifikasi, untuk siapa pun yang membantu Anda. Tidak ada kata sandi, token, atau kunci yang disertakan.</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>Activity log</source>
        <translation>Log aktivitas</translation>
    </message>
    <message>
        <source>What the live stream announced and what the app noticed itself, newest first. Double-click a line with an order to open that order.</source>
        <translation>Apa yang diumumkan siaran langsung dan apa yang diketahui aplikasi sendiri, terbaru di atas. Klik dua kali baris yang berisi pesanan untuk membuka pesanan itu.</translation>
    </message>
    <message>
        <source>Filter the log…</source>
        <translation>Saring log…</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Kejadian</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
</context>
<context>
    <name>ActivityWords</name>
    <message>
        <source>Payment received</source>
        <translation>Pembayaran diterima</translation>
    </message>
    <message>
        <source>Order created</source>
        <translation>Pesanan dibuat</translation>
    </message>
    <message>
        <source>Payment expired</source>
        <translation>Pembayaran kedaluwarsa</translation>
    </message>
    <message>
        <source>Shipment update</source>
        <translation>Kabar pengiriman</translation>
    </message>
    <message>
        <source>Stock low</source>
        <translation>Stok menipis</translation>
    </message>
    <message>
        <source>Refund request</source>
        <translation>Permintaan pengembalian dana</translation>
    </message>
    <message>
        <source>Dispute</source>
        <translation>Sengketa</translation>
    </message>
    <message>
        <source>Unreadable event</source>
        <translation>Kejadian tidak terbaca</translation>
    </message>
    <message>
        <source>Unknown event</source>
        <translation>Kejadian tidak dikenal</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Masalah</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Peringatan</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Zavera Desktop</source>
        <translation>Zavera Desktop</translation>
    </message>
</context>
<context>
    <name>BannerBackend</name>
    <message>
        <source>the banner in the window</source>
        <translation>banner di dalam jendela</translation>
    </message>
</context>
<context>
    <name>ConnectionWords</name>
    <message>
        <source>Live</source>
        <translation>Terhubung</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Menghubungkan…</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Menghubungkan ulang</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Tidak terhubung</translation>
    </message>
    <message>
        <source>Login needed</source>
        <translation>Perlu masuk lagi</translation>
    </message>
    <message>
        <source>Not the admin account</source>
        <translation>Bukan akun admin</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Berhenti</translation>
    </message>
    <message>
        <source>Reconnecting… (attempt %1)</source>
        <translation>Menghubungkan ulang… (percobaan ke-%1)</translation>
    </message>
    <message>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation>Menghubungkan ulang dalam %1 dtk (percobaan ke-%2)</translation>
    </message>
    <message>
        <source>Offline — retrying in %1 s</source>
        <translation>Tidak terhubung — mencoba lagi dalam %1 dtk</translation>
    </message>
    <message>
        <source>Polling every %1 s</source>
        <translation>Memeriksa setiap %1 dtk</translation>
    </message>
    <message>
        <source>No events yet</source>
        <translation>Belum ada kejadian</translation>
    </message>
    <message>
        <source>Last event %1 s ago</source>
        <translation>Kejadian terakhir %1 dtk lalu</translation>
    </message>
    <message>
        <source>Last event %1 min ago</source>
        <translation>Kejadian terakhir %1 mnt lalu</translation>
    </message>
    <message>
        <source>Last event %1 h ago</source>
        <translation>Kejadian terakhir %1 jam lalu</translation>
    </message>
    <message>
        <source>No event for more than a day</source>
        <translation>Tidak ada kejadian selama lebih dari sehari</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>Zavera Desktop: unexpected error</source>
        <translation>Zavera Desktop: kesalahan tak terduga</translation>
    </message>
    <message>
        <source>Something went wrong inside Zavera Desktop. It keeps running and keeps watching payments, but part of the window may not work until you restart it.</source>
        <translation>Terjadi kesalahan di dalam Zavera Desktop. Aplikasi tetap berjalan dan tetap memantau pembayaran, tetapi sebagian jendela mungkin tidak berfungsi sampai Anda memulainya ulang.</translation>
    </message>
    <message>
        <source>The details are in the log file:
%1

If this happens again, send that file and the text of Help → About Zavera Desktop → Copy diagnostics to whoever looks after Zavera Desktop.</source>
        <translation>Rinciannya ada di berkas log:
%1

Jika ini terjadi lagi, kirim berkas itu beserta teks dari Bantuan → Tentang Zavera Desktop → Salin diagnostik kepada orang yang mengurus Zavera Desktop.</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Buka folder log</translation>
    </message>
    <message>
        <source>No log file is being written (logging is off), so the details were printed to the terminal only.</source>
        <translation>Tidak ada berkas log yang ditulis (log dimatikan), jadi rinciannya hanya dicetak ke terminal.</translation>
    </message>
</context>
<context>
    <name>CsvExportJob</name>
    <message>
        <source>Could not write %1: %2</source>
        <extracomment>Rows read per page; also one slice of ``CsvExportJob`` (a few milliseconds of work). Work per event-loop turn: as many pages as fit in this (at least one; a page of 1,000 rows takes ~25 ms here), so the window never waits longer than about this for its events.</extracomment>
        <translation>Tidak dapat menulis %1: %2</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <source>The app is not connected to the shop right now.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong; the log file has the details.</source>
        <translation>Terjadi kesalahan tak terduga; rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>Loading the order from the shop…</source>
        <translation>Memuat pesanan dari toko…</translation>
    </message>
    <message>
        <source>Could not load the order: %1</source>
        <translation>Pesanan tidak dapat dimuat: %1</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>dan %1 lainnya</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>belum diketahui</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Sudah dibaca</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Belum dibaca</translation>
    </message>
    <message>
        <source>The live stream said nothing about this order; another source found it.</source>
        <translation>Siaran langsung tidak memberi kabar tentang pesanan ini; sumber lain yang menemukannya.</translation>
    </message>
    <message>
        <source>Asking the shop to check this payment with Midtrans…</source>
        <translation>Meminta toko memeriksa pembayaran ini ke Midtrans…</translation>
    </message>
    <message>
        <source>Waiting %1 s: the shop allows one check per payment every few seconds…</source>
        <translation>Menunggu %1 dtk: toko hanya mengizinkan satu pemeriksaan per pembayaran setiap beberapa detik…</translation>
    </message>
    <message>
        <source>The shop already has this order as paid (%1). Midtrans was not asked again, so the customer gets no second e-mail.</source>
        <translation>Toko sudah mencatat pesanan ini sebagai dibayar (%1). Midtrans tidak ditanya lagi, jadi pelanggan tidak menerima e-mail kedua.</translation>
    </message>
    <message>
        <source>This order has no VA, QRIS or GoPay payment (order status: %1), so the shop cannot ask Midtrans about it.</source>
        <translation>Pesanan ini tidak punya pembayaran VA, QRIS, atau GoPay (status pesanan: %1), jadi toko tidak bisa menanyakannya ke Midtrans.</translation>
    </message>
    <message>
        <source>Midtrans has the money: the order is now paid.</source>
        <translation>Dana sudah diterima Midtrans: pesanan sekarang sudah dibayar.</translation>
    </message>
    <message>
        <source>Still pending: Midtrans has not received the money yet, or could not be reached.</source>
        <translation>Masih tertunda: Midtrans belum menerima dananya, atau tidak dapat dihubungi.</translation>
    </message>
    <message>
        <source>An admin cancelled this order; Midtrans was not asked.</source>
        <translation>Admin membatalkan pesanan ini; Midtrans tidak ditanya.</translation>
    </message>
    <message>
        <source>Midtrans cancelled the transaction; only the payment changed.</source>
        <translation>Midtrans membatalkan transaksi; hanya pembayarannya yang berubah.</translation>
    </message>
    <message>
        <source>The virtual account expired: the payment and the order are expired.</source>
        <translation>Virtual account sudah kedaluwarsa: pembayaran dan pesanan kini kedaluwarsa.</translation>
    </message>
    <message>
        <source>Midtrans declined the transaction; only the payment changed.</source>
        <translation>Midtrans menolak transaksi; hanya pembayarannya yang berubah.</translation>
    </message>
    <message>
        <source>The payment was already final (%1); the shop answered from its records.</source>
        <translation>Pembayaran sudah final (%1); toko menjawab dari catatannya sendiri.</translation>
    </message>
    <message>
        <source>The shop answered: %1.</source>
        <translation>Jawaban toko: %1.</translation>
    </message>
    <message>
        <source>This payment was missing and has now been recorded.</source>
        <translation>Pembayaran ini sempat terlewat dan sekarang sudah dicatat.</translation>
    </message>
    <message>
        <source>The check did not work: %1</source>
        <translation>Pemeriksaan gagal: %1</translation>
    </message>
    <message>
        <source>Select a payment to see its order, how it was found and what the app saw about it.</source>
        <translation>Pilih sebuah pembayaran untuk melihat pesanannya, bagaimana pembayaran itu ditemukan, dan apa yang dilihat aplikasi tentangnya.</translation>
    </message>
    <message>
        <source>Check status</source>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Ask the shop to check this payment with Midtrans now</source>
        <translation>Minta toko memeriksa pembayaran ini ke Midtrans sekarang</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Pembayaran</translation>
    </message>
    <message>
        <source>Order (from the shop)</source>
        <translation>Pesanan (dari toko)</translation>
    </message>
    <message>
        <source>Events seen</source>
        <translation>Kejadian yang terlihat</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Metode</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>Dibayar pada</translation>
    </message>
    <message>
        <source>Found by</source>
        <translation>Ditemukan oleh</translation>
    </message>
    <message>
        <source>Detected at</source>
        <translation>Terdeteksi pada</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Pelanggan</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telepon</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>Status pesanan</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Barang</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Ordered at</source>
        <translation>Dipesan pada</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Status pembayaran</translation>
    </message>
    <message>
        <source>Transaction ID</source>
        <translation>ID transaksi</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Showing %1 orders from a notification</source>
        <translation>Menampilkan %1 pesanan dari notifikasi</translation>
    </message>
    <message>
        <source>Search order code or customer</source>
        <translation>Cari kode pesanan atau pelanggan</translation>
    </message>
    <message>
        <source>newest payments only</source>
        <translation>hanya pembayaran terbaru</translation>
    </message>
    <message>
        <source>A search of one or two letters looks at the newest payments only; type three or more to search everything.</source>
        <translation>Pencarian dengan satu atau dua huruf hanya melihat pembayaran terbaru; ketik tiga huruf atau lebih untuk mencari di semuanya.</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Dibayar</translation>
    </message>
    <message>
        <source>Being fulfilled</source>
        <translation>Sedang diproses</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Dana dikembalikan</translation>
    </message>
    <message>
        <source>Found by any source</source>
        <translation>Ditemukan oleh sumber mana pun</translation>
    </message>
    <message>
        <source>Live stream</source>
        <translation>Siaran langsung</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Rekonsiliasi</translation>
    </message>
    <message>
        <source>Status check</source>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Putar ulang</translation>
    </message>
    <message>
        <source>Which source saw the payment first</source>
        <translation>Sumber mana yang pertama melihat pembayaran</translation>
    </message>
    <message>
        <source>Any date</source>
        <translation>Semua tanggal</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Kemarin</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 hari terakhir</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 hari terakhir</translation>
    </message>
    <message>
        <source>Date range…</source>
        <translation>Rentang tanggal…</translation>
    </message>
    <message>
        <source>From (shop date)</source>
        <translation>Dari (tanggal toko)</translation>
    </message>
    <message>
        <source>To (shop date)</source>
        <translation>Sampai (tanggal toko)</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Hanya yang belum dibaca</translation>
    </message>
    <message>
        <source>Show all payments again</source>
        <translation>Tampilkan lagi semua pembayaran</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Live stream</source>
        <extracomment>How an unknown amount or time is shown.</extracomment>
        <translation>Siaran langsung</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Rekonsiliasi</translation>
    </message>
    <message>
        <source>Status check</source>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Webhook replay</source>
        <translation>Putar ulang webhook</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Menunggu pembayaran</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Dibayar</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Diproses</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>Dikemas</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Dikirim</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Tiba di tujuan</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Dana dikembalikan</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Dibatalkan</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Kedaluwarsa</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>1 payment</source>
        <translation>1 pembayaran</translation>
    </message>
    <message>
        <source>%1 payments</source>
        <translation>%1 pembayaran</translation>
    </message>
    <message>
        <source>Paid today</source>
        <translation>Dibayar hari ini</translation>
    </message>
    <message>
        <source>Payments per hour</source>
        <translation>Pembayaran per jam</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <source>Payments per hour today (shop time)</source>
        <translation>Pembayaran per jam hari ini (waktu toko)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in — Zavera Desktop</source>
        <translation>Masuk — Zavera Desktop</translation>
    </message>
    <message>
        <source>Connect to your shop&apos;s backend with the shop admin&apos;s account. Zavera Desktop then shows every payment as it arrives.</source>
        <translation>Hubungkan ke backend toko Anda dengan akun admin toko. Setelah itu Zavera Desktop menampilkan setiap pembayaran begitu masuk.</translation>
    </message>
    <message>
        <source>&amp;Backend address:</source>
        <translation>Alamat &amp;backend:</translation>
    </message>
    <message>
        <source>https://api.yourshop.id</source>
        <translation>https://api.tokoanda.id</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-mail:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Kata &amp;sandi:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>eyJ…</source>
        <translation>eyJ…</translation>
    </message>
    <message>
        <source>E-mail and password</source>
        <translation>E-mail dan kata sandi</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>&lt;b&gt;Admin signs in with Google?&lt;/b&gt; Then the account has no password; use a token instead. Log in to the shop&apos;s web admin in your browser, press F12, open the &lt;i&gt;Console&lt;/i&gt; tab, type &lt;code&gt;localStorage.auth_token&lt;/code&gt; and press Enter. Copy the long text it shows (without the quotes) and paste it here. A token works for 24 hours.</source>
        <translation>&lt;b&gt;Admin masuk dengan Google?&lt;/b&gt; Berarti akun itu tidak punya kata sandi; gunakan token sebagai gantinya. Masuk ke admin web toko di peramban, tekan F12, buka tab &lt;i&gt;Console&lt;/i&gt;, ketik &lt;code&gt;localStorage.auth_token&lt;/code&gt; lalu tekan Enter. Salin teks panjang yang muncul (tanpa tanda kutip) dan tempel di sini. Token berlaku selama 24 jam.</translation>
    </message>
    <message>
        <source>&amp;Remember on this computer (in the system&apos;s password store)</source>
        <translation>&amp;Ingat di komputer ini (di penyimpanan kata sandi sistem)</translation>
    </message>
    <message>
        <source>Try the &amp;demo</source>
        <translation>Coba &amp;demo</translation>
    </message>
    <message>
        <source>Watch a simulated shop with test payments; nothing real is touched.</source>
        <translation>Lihat toko simulasi dengan pembayaran uji coba; tidak ada data sungguhan yang tersentuh.</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Masuk</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>The system&apos;s password store (keyring) is locked, so the password or token will be kept only until you close Zavera Desktop. It is never written to a file.</source>
        <translation>Penyimpanan kata sandi sistem (keyring) terkunci, jadi kata sandi atau token hanya disimpan sampai Anda menutup Zavera Desktop. Kata sandi atau token tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>The system&apos;s password store (keyring) reported an error, so the password or token will be kept only until you close Zavera Desktop. It is never written to a file.</source>
        <translation>Penyimpanan kata sandi sistem (keyring) melaporkan kesalahan, jadi kata sandi atau token hanya disimpan sampai Anda menutup Zavera Desktop. Kata sandi atau token tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>No password store (keyring) is available on this system; the password or token will be kept only until you close Zavera Desktop. It is never written to a file.</source>
        <translation>Tidak ada penyimpanan kata sandi (keyring) di sistem ini; kata sandi atau token hanya disimpan sampai Anda menutup Zavera Desktop. Kata sandi atau token tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} jam {minutes} menit</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} menit</translation>
    </message>
    <message>
        <source>This token expired on {when}. Tokens cannot be renewed: get a new one.</source>
        <translation>Token ini sudah kedaluwarsa pada {when}. Token tidak bisa diperpanjang: ambil token baru.</translation>
    </message>
    <message>
        <source>This does not look like a token yet: it is one long line in three parts separated by dots, starting with eyJ.</source>
        <translation>Ini belum terlihat seperti token: token berupa satu baris panjang dari tiga bagian yang dipisahkan titik, diawali eyJ.</translation>
    </message>
    <message>
        <source>This token runs out on {when} (in {left}) and cannot be renewed. After that, paste a new token, or log in with e-mail and password.</source>
        <translation>Masa berlaku token ini habis pada {when} ({left} lagi) dan tidak bisa diperpanjang. Setelah itu, tempel token baru, atau masuk dengan e-mail dan kata sandi.</translation>
    </message>
    <message>
        <source>Wrong e-mail or password. If the shop&apos;s admin account signs in with Google, it has no password: use the Token tab instead.</source>
        <translation>E-mail atau kata sandi salah. Jika akun admin toko masuk dengan Google, akun itu tidak punya kata sandi: gunakan tab Token.</translation>
    </message>
    <message>
        <source>{email} is not this shop&apos;s admin account, so it cannot see orders or payments. Log in with the admin&apos;s e-mail address.</source>
        <translation>{email} bukan akun admin toko ini, jadi tidak bisa melihat pesanan atau pembayaran. Masuk dengan alamat e-mail admin.</translation>
    </message>
    <message>
        <source>This account</source>
        <translation>Akun ini</translation>
    </message>
    <message>
        <source>The e-mail address {email} is not verified yet, so the shop does not let it log in. Open the verification e-mail from the shop first.</source>
        <translation>Alamat e-mail {email} belum diverifikasi, jadi toko tidak mengizinkannya masuk. Buka dulu e-mail verifikasi dari toko.</translation>
    </message>
    <message>
        <source>Nothing answers at {host}. Check the address and the port, and that the shop&apos;s backend is running.</source>
        <translation>Tidak ada yang menjawab di {host}. Periksa alamat dan port-nya, dan pastikan backend toko sedang berjalan.</translation>
    </message>
    <message>
        <source>The address {host} cannot be found. Check it for typos, and check the internet connection.</source>
        <translation>Alamat {host} tidak ditemukan. Periksa apakah ada salah ketik, dan periksa koneksi internet.</translation>
    </message>
    <message>
        <source>The secure connection to {host} failed: its HTTPS certificate is not trusted (self-signed, expired or made for another name), or the address should start with http:// instead.</source>
        <translation>Koneksi aman ke {host} gagal: sertifikat HTTPS-nya tidak tepercaya (dibuat sendiri, kedaluwarsa, atau dibuat untuk nama lain), atau alamatnya seharusnya diawali http://.</translation>
    </message>
    <message>
        <source>The backend at {host} did not answer in time. Try again, or check the connection.</source>
        <translation>Backend di {host} tidak menjawab tepat waktu. Coba lagi, atau periksa koneksi.</translation>
    </message>
    <message>
        <source>The server at {host} answered, but it is not a Zavera shop backend (it may be the shop&apos;s web page). Enter the backend&apos;s address, without /api at the end.</source>
        <translation>Server di {host} menjawab, tetapi itu bukan backend toko Zavera (mungkin halaman web toko). Masukkan alamat backend, tanpa /api di akhir.</translation>
    </message>
    <message>
        <source>This token expired on {when}. Tokens last 24 hours and cannot be renewed: get a new one.</source>
        <translation>Token ini sudah kedaluwarsa pada {when}. Token berlaku 24 jam dan tidak bisa diperpanjang: ambil token baru.</translation>
    </message>
    <message>
        <source>The backend does not accept this token. Copy it again in full (it starts with eyJ), or get a new one.</source>
        <translation>Backend tidak menerima token ini. Salin lagi secara utuh (diawali eyJ), atau ambil token baru.</translation>
    </message>
    <message>
        <source>The backend at {host} has a problem of its own right now. Try again in a few minutes.</source>
        <translation>Backend di {host} sedang bermasalah. Coba lagi beberapa menit lagi.</translation>
    </message>
    <message>
        <source>Enter the backend&apos;s address starting with https:// (or http://), for example https://api.yourshop.id.</source>
        <translation>Masukkan alamat backend yang diawali https:// (atau http://), misalnya https://api.tokoanda.id.</translation>
    </message>
    <message>
        <source>This is not a valid e-mail address.</source>
        <translation>Ini bukan alamat e-mail yang valid.</translation>
    </message>
    <message>
        <source>Enter the e-mail address and the password.</source>
        <translation>Masukkan alamat e-mail dan kata sandi.</translation>
    </message>
    <message>
        <source>Paste the token.</source>
        <translation>Tempel tokennya.</translation>
    </message>
    <message>
        <source>Checking the login at {host}…</source>
        <translation>Memeriksa login di {host}…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Dibatalkan.</translation>
    </message>
    <message>
        <source>The check failed unexpectedly; the log file has the details.</source>
        <translation>Pemeriksaan gagal secara tak terduga; rinciannya ada di berkas log.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Not connected: try again in a moment.</source>
        <translation>Tidak terhubung: coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>Reconnecting now…</source>
        <translation>Menghubungkan ulang sekarang…</translation>
    </message>
    <message>
        <source>Reading the latest orders from the shop…</source>
        <translation>Membaca pesanan terbaru dari toko…</translation>
    </message>
    <message>
        <source>Export payments as CSV</source>
        <translation>Ekspor pembayaran sebagai CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Berkas CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting… %1 payments</source>
        <translation>Mengekspor… %1 pembayaran</translation>
    </message>
    <message>
        <source>Exported %1 payments to %2</source>
        <translation>%1 pembayaran diekspor ke %2</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Ekspor gagal</translation>
    </message>
    <message>
        <source>%1 is not among the recorded payments.</source>
        <translation>%1 tidak ada di antara pembayaran yang tercatat.</translation>
    </message>
    <message>
        <source>The new connection settings apply from the next start.</source>
        <translation>Pengaturan koneksi yang baru berlaku mulai pembukaan berikutnya.</translation>
    </message>
    <message>
        <source>New backend address</source>
        <translation>Alamat backend baru</translation>
    </message>
    <message>
        <source>Zavera Desktop connects to %1 from the next start.</source>
        <translation>Zavera Desktop terhubung ke %1 mulai pembukaan berikutnya.</translation>
    </message>
    <message>
        <source>Logged in again; reconnecting…</source>
        <translation>Sudah masuk lagi; menghubungkan ulang…</translation>
    </message>
    <message>
        <source>About Zavera Desktop</source>
        <translation>Tentang Zavera Desktop</translation>
    </message>
    <message>
        <source>Zavera Desktop %1

Every Midtrans payment of the Zavera shop, live and exactly once.</source>
        <translation>Zavera Desktop %1

Setiap pembayaran Midtrans toko Zavera, langsung dan tepat satu kali.</translation>
    </message>
    <message>
        <source>Copy order code</source>
        <translation>Salin kode pesanan</translation>
    </message>
    <message>
        <source>Zavera Desktop is still running</source>
        <translation>Zavera Desktop masih berjalan</translation>
    </message>
    <message>
        <source>New payments still arrive and notify you. Use Quit in the tray menu to stop Zavera Desktop.</source>
        <translation>Pembayaran baru tetap masuk dan diberitahukan. Gunakan Keluar di menu baki sistem untuk menghentikan Zavera Desktop.</translation>
    </message>
    <message>
        <source>Zavera Desktop will quit</source>
        <translation>Zavera Desktop akan ditutup</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so closing the window quits Zavera Desktop. Payments that arrive while it is closed are picked up at the next start, but you will not be notified of them as they come.</source>
        <translation>Desktop ini tidak punya baki sistem, jadi menutup jendela akan menutup Zavera Desktop. Pembayaran yang masuk selama aplikasi tertutup akan diambil saat dibuka berikutnya, tetapi Anda tidak diberi tahu saat pembayaran itu masuk.</translation>
    </message>
    <message>
        <source>Zavera Desktop</source>
        <translation>Zavera Desktop</translation>
    </message>
    <message>
        <source>%1 — Demo</source>
        <translation>%1 — Demo</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Koneksi</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <source>&amp;Export view as CSV…</source>
        <translation>&amp;Ekspor tampilan sebagai CSV…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <source>&amp;Close window</source>
        <translation>&amp;Tutup jendela</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <source>Mark as &amp;read</source>
        <translation>Tandai sudah &amp;dibaca</translation>
    </message>
    <message>
        <source>Mark as &amp;unread</source>
        <translation>Tandai &amp;belum dibaca</translation>
    </message>
    <message>
        <source>Mark &amp;all as read</source>
        <translation>Tandai &amp;semua sudah dibaca</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Cari…</translation>
    </message>
    <message>
        <source>&amp;Show all payments</source>
        <translation>Tampilkan semua &amp;pembayaran</translation>
    </message>
    <message>
        <source>&amp;Activity log</source>
        <translation>&amp;Log aktivitas</translation>
    </message>
    <message>
        <source>&amp;Reconnect now</source>
        <translation>&amp;Hubungkan ulang sekarang</translation>
    </message>
    <message>
        <source>Read the shop&apos;s orders &amp;now</source>
        <translation>Baca pesanan toko &amp;sekarang</translation>
    </message>
    <message>
        <source>&amp;Check status of the selected order</source>
        <translation>&amp;Cek status pesanan yang dipilih</translation>
    </message>
    <message>
        <source>&amp;Log in again…</source>
        <translation>&amp;Masuk lagi…</translation>
    </message>
    <message>
        <source>&amp;About Zavera Desktop</source>
        <translation>&amp;Tentang Zavera Desktop</translation>
    </message>
    <message>
        <source>Mark all read</source>
        <translation>Tandai semua dibaca</translation>
    </message>
    <message>
        <source>Mark every payment as read</source>
        <translation>Tandai setiap pembayaran sudah dibaca</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Ekspor CSV…</translation>
    </message>
    <message>
        <source>Save the payments in this view as a CSV file</source>
        <translation>Simpan pembayaran di tampilan ini sebagai berkas CSV</translation>
    </message>
</context>
<context>
    <name>NotificationBanner</name>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Click to open</source>
        <translation>Klik untuk membuka</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>nothing (notifications cannot be shown)</source>
        <translation>tidak ada (notifikasi tidak dapat ditampilkan)</translation>
    </message>
    <message>
        <source>Payment received</source>
        <translation>Pembayaran diterima</translation>
    </message>
    <message numerus="yes">
        <source>%n new payments</source>
        <translation>
            <numerusform>%n pembayaran baru</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{codes} and %n more</source>
        <translation>
            <numerusform>{codes} dan %n lainnya</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No live connection for %n minute(s) ({state}). New payments may show up late.</source>
        <translation>
            <numerusform>Tidak ada koneksi langsung selama %n menit ({state}). Pembayaran baru mungkin terlambat muncul.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected to the shop</source>
        <translation>Tidak terhubung ke toko</translation>
    </message>
    <message>
        <source>Connected again</source>
        <translation>Terhubung kembali</translation>
    </message>
    <message>
        <source>Payments are live again; any that came meanwhile are in the list.</source>
        <translation>Pembayaran kembali tampil langsung; yang masuk selama terputus sudah ada di daftar.</translation>
    </message>
</context>
<context>
    <name>PaymentsModel</name>
    <message>
        <source>Time</source>
        <extracomment>``data(index, UnreadRole)`` → bool; ``data(index, PaymentRole)`` → the row&apos;s ``Payment``. Up to this many insertion places a batch is spliced into the row list in place. ``row_of`` loads at most this many rows in one go to reach an order below the loaded part.</extracomment>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Pelanggan</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Metode</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Found by</source>
        <translation>Ditemukan oleh</translation>
    </message>
    <message>
        <source>Unread</source>
        <translation>Belum dibaca</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Sudah dibaca</translation>
    </message>
    <message>
        <source>Paid (shop): %1
Detected here: %2</source>
        <translation>Dibayar (toko): %1
Terdeteksi di sini: %2</translation>
    </message>
</context>
<context>
    <name>PlyerBackend</name>
    <message>
        <source>the desktop portal</source>
        <translation>portal desktop</translation>
    </message>
    <message>
        <source>Windows notifications</source>
        <translation>notifikasi Windows</translation>
    </message>
    <message>
        <source>macOS notifications</source>
        <translation>notifikasi macOS</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings — Zavera Desktop</source>
        <translation>Pengaturan — Zavera Desktop</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Akun</translation>
    </message>
    <message>
        <source>Backend:</source>
        <translation>Backend:</translation>
    </message>
    <message>
        <source>Admin account:</source>
        <translation>Akun admin:</translation>
    </message>
    <message>
        <source>(pasted token)</source>
        <translation>(token yang ditempel)</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>Masuk lagi…</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>Toko</translation>
    </message>
    <message>
        <source>Shop &amp;time zone:</source>
        <translation>&amp;Zona waktu toko:</translation>
    </message>
    <message>
        <source>Check for missed payments every:</source>
        <translation>Periksa pembayaran yang terlewat setiap:</translation>
    </message>
    <message>
        <source> s</source>
        <translation> dtk</translation>
    </message>
    <message>
        <source>While the live connection is down, how often the order list is read.</source>
        <translation>Selama koneksi langsung terputus, seberapa sering daftar pesanan dibaca.</translation>
    </message>
    <message>
        <source>Ask Midtrans about pending payments every:</source>
        <translation>Tanyakan pembayaran tertunda ke Midtrans setiap:</translation>
    </message>
    <message>
        <source>Look back over the last:</source>
        <translation>Periksa ke belakang selama:</translation>
    </message>
    <message>
        <source> days</source>
        <translation> hari</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifikasi</translation>
    </message>
    <message>
        <source>Show a &amp;notification for every new payment</source>
        <translation>Tampilkan &amp;notifikasi untuk setiap pembayaran baru</translation>
    </message>
    <message>
        <source>Play a &amp;sound</source>
        <translation>Putar &amp;suara</translation>
    </message>
    <message>
        <source>Many payments at once: show &amp;one summary</source>
        <translation>Banyak pembayaran sekaligus: tampilkan satu &amp;ringkasan</translation>
    </message>
    <message>
        <source>&amp;Quiet hours from</source>
        <translation>Jam &amp;tenang dari</translation>
    </message>
    <message>
        <source>to</source>
        <translation>sampai</translation>
    </message>
    <message>
        <source>Warn when the connection to the shop has been lost for:</source>
        <translation>Beri peringatan bila koneksi ke toko terputus selama:</translation>
    </message>
    <message>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <source>Zavera Desktop</source>
        <translation>Zavera Desktop</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Bahasa:</translation>
    </message>
    <message>
        <source>System default ({language})</source>
        <translation>Bawaan sistem ({language})</translation>
    </message>
    <message>
        <source>Start Zavera Desktop when I log in to this computer</source>
        <translation>Jalankan Zavera Desktop saat saya masuk ke komputer ini</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Mulai dalam keadaan diminimalkan ke baki sistem</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Sim&amp;pan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>belum diketahui</translation>
    </message>
    <message>
        <source>Notifications are shown through: {backend}</source>
        <translation>Notifikasi ditampilkan melalui: {backend}</translation>
    </message>
    <message>
        <source>Start at login could not be changed: {reason}</source>
        <translation>Pengaturan mulai saat login tidak dapat diubah: {reason}</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Reconnect now</source>
        <translation>Hubungkan ulang sekarang</translation>
    </message>
    <message>
        <source>Skip the wait and connect to the live stream again</source>
        <translation>Lewati waktu tunggu dan hubungkan lagi ke siaran langsung</translation>
    </message>
    <message>
        <source>Log in again…</source>
        <translation>Masuk lagi…</translation>
    </message>
    <message>
        <source>Activity log</source>
        <translation>Log aktivitas</translation>
    </message>
    <message>
        <source>Everything the app saw and did, newest first</source>
        <translation>Semua yang dilihat dan dilakukan aplikasi, terbaru di atas</translation>
    </message>
    <message>
        <source>When the live stream last delivered an event</source>
        <translation>Kapan siaran langsung terakhir mengirim kejadian</translation>
    </message>
</context>
<context>
    <name>TrayBackend</name>
    <message>
        <source>the system tray</source>
        <translation>baki sistem</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Zavera Desktop — {state}</source>
        <translation>Zavera Desktop — {state}</translation>
    </message>
    <message numerus="yes">
        <source>%n unread payment(s)</source>
        <translation>
            <numerusform>%n pembayaran belum dibaca</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications paused until {time}</source>
        <translation>Notifikasi dijeda sampai {time}</translation>
    </message>
    <message>
        <source>&amp;Show Zavera Desktop</source>
        <translation>&amp;Tampilkan Zavera Desktop</translation>
    </message>
    <message>
        <source>&amp;Pause notifications</source>
        <translation>&amp;Jeda notifikasi</translation>
    </message>
    <message>
        <source>For &amp;1 hour</source>
        <translation>Selama &amp;1 jam</translation>
    </message>
    <message>
        <source>Until &amp;tomorrow (08:00)</source>
        <translation>Sampai &amp;besok (08.00)</translation>
    </message>
    <message>
        <source>&amp;Resume notifications</source>
        <translation>&amp;Lanjutkan notifikasi</translation>
    </message>
    <message>
        <source>&amp;Reconnect now</source>
        <translation>&amp;Hubungkan ulang sekarang</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
</context>
</TS>
