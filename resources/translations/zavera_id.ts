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
    <name>ActionWords</name>
    <message>
        <source>Status check</source>
        <extracomment>what a Midtrans order id looks like (Midtrans dashboard → Transactions → &quot;Order ID&quot;)</extracomment>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Check all stuck</source>
        <translation>Cek semua yang macet</translation>
    </message>
    <message>
        <source>Webhook replay</source>
        <translation>Putar ulang webhook</translation>
    </message>
    <message>
        <source>Confirm payment</source>
        <translation>Konfirmasi pembayaran</translation>
    </message>
    <message>
        <source>Dismiss alert</source>
        <translation>Abaikan peringatan</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Dibayar</translation>
    </message>
    <message>
        <source>Still pending</source>
        <translation>Masih tertunda</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Dibatalkan</translation>
    </message>
    <message>
        <source>Expired or denied</source>
        <translation>Kedaluwarsa atau ditolak</translation>
    </message>
    <message>
        <source>Rejected by the shop</source>
        <translation>Ditolak toko</translation>
    </message>
    <message>
        <source>Shown, not sent</source>
        <translation>Hanya ditampilkan, tidak dikirim</translation>
    </message>
    <message>
        <source>Did not work</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>Sandbox (test payments)</source>
        <translation>Sandbox (pembayaran uji)</translation>
    </message>
    <message>
        <source>Production (real money)</source>
        <translation>Produksi (uang sungguhan)</translation>
    </message>
    <message>
        <source>Custom address</source>
        <translation>Alamat khusus</translation>
    </message>
    <message>
        <source>The shop already has this order as paid (%1). Midtrans was not asked again, so the customer gets no second e-mail.</source>
        <translation>Toko sudah mencatat pesanan ini sebagai dibayar (%1). Midtrans tidak ditanya lagi, jadi pelanggan tidak menerima e-mail kedua.</translation>
    </message>
    <message>
        <source>This order has no VA, QRIS or GoPay payment (order status: %1), so the shop cannot ask Midtrans about it. If the customer paid, replay the Midtrans notification.</source>
        <translation>Pesanan ini tidak punya pembayaran VA, QRIS, atau GoPay (status pesanan: %1), jadi toko tidak bisa menanyakannya ke Midtrans. Jika pelanggan sudah membayar, putar ulang notifikasi Midtrans.</translation>
    </message>
    <message>
        <source>Midtrans has the money: the order is now paid.</source>
        <translation>Dana sudah diterima Midtrans: pesanan sekarang sudah dibayar.</translation>
    </message>
    <message>
        <source>Still pending: Midtrans has not received the money yet — or the shop could not reach Midtrans, because it answers &quot;pending&quot; then too, without saying so. If the customer has proof of payment, look in the Midtrans dashboard or replay the notification.</source>
        <translation>Masih tertunda: Midtrans belum menerima dananya — atau toko tidak dapat menghubungi Midtrans, karena dalam hal itu toko juga menjawab &quot;pending&quot; tanpa memberi tahu. Jika pelanggan punya bukti pembayaran, periksa dasbor Midtrans atau putar ulang notifikasinya.</translation>
    </message>
    <message>
        <source>An admin cancelled this order, so the shop did not ask Midtrans at all. If the customer paid anyway, replay the Midtrans notification: it marks even a cancelled order paid.</source>
        <translation>Admin membatalkan pesanan ini, jadi toko sama sekali tidak bertanya ke Midtrans. Jika pelanggan tetap membayar, putar ulang notifikasi Midtrans: notifikasi itu menandai pesanan yang dibatalkan pun sebagai dibayar.</translation>
    </message>
    <message>
        <source>Midtrans cancelled the transaction; only the payment changed, the order is still %2.</source>
        <translation>Midtrans membatalkan transaksi; hanya pembayarannya yang berubah, pesanan masih %2.</translation>
    </message>
    <message>
        <source>The virtual account expired: the payment and the order are expired.</source>
        <translation>Virtual account sudah kedaluwarsa: pembayaran dan pesanan kini kedaluwarsa.</translation>
    </message>
    <message>
        <source>Midtrans declined the transaction; only the payment changed, the order is still %2.</source>
        <translation>Midtrans menolak transaksi; hanya pembayarannya yang berubah, pesanan masih %2.</translation>
    </message>
    <message>
        <source>The payment was already final (%3), so the shop answered from its records without asking Midtrans. A payment that settled later cannot be found this way: check the Midtrans dashboard and confirm it in the web admin.</source>
        <translation>Pembayaran sudah final (%3), jadi toko menjawab dari catatannya sendiri tanpa bertanya ke Midtrans. Pembayaran yang baru lunas belakangan tidak bisa ditemukan dengan cara ini: periksa dasbor Midtrans dan konfirmasikan di admin web.</translation>
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
        <source>(Waited %1 s for the shop&apos;s limit of one check per payment every 5 seconds.)</source>
        <translation>(Menunggu %1 dtk karena toko hanya mengizinkan satu pemeriksaan per pembayaran setiap 5 detik.)</translation>
    </message>
    <message>
        <source>The shop&apos;s answer: &quot;%1&quot;.</source>
        <translation>Jawaban toko: &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Asking the shop to check this payment with Midtrans…</source>
        <translation>Meminta toko memeriksa pembayaran ini ke Midtrans…</translation>
    </message>
    <message>
        <source>The shop refused a check made a moment ago (this admin account checked it elsewhere): waiting %1 s, then asking once more…</source>
        <translation>Toko menolak karena pembayaran ini baru saja diperiksa (akun admin ini memeriksanya di tempat lain): menunggu %1 dtk, lalu bertanya sekali lagi…</translation>
    </message>
    <message>
        <source>Waiting %1 s: the shop allows one check per payment every 5 seconds…</source>
        <translation>Menunggu %1 dtk: toko hanya mengizinkan satu pemeriksaan per pembayaran setiap 5 detik…</translation>
    </message>
    <message>
        <source>%1 now paid</source>
        <translation>%1 kini dibayar</translation>
    </message>
    <message>
        <source>%1 already paid</source>
        <translation>%1 sudah dibayar</translation>
    </message>
    <message>
        <source>%1 still pending</source>
        <translation>%1 masih tertunda</translation>
    </message>
    <message>
        <source>%1 expired or denied at Midtrans</source>
        <translation>%1 kedaluwarsa atau ditolak di Midtrans</translation>
    </message>
    <message>
        <source>%1 cancelled</source>
        <translation>%1 dibatalkan</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 gagal: %2</translation>
    </message>
    <message>
        <source>No payment is stuck: nothing to check.</source>
        <translation>Tidak ada pembayaran yang macet: tidak ada yang perlu dicek.</translation>
    </message>
    <message>
        <source>cancelled after %1 of %2</source>
        <translation>dibatalkan setelah %1 dari %2</translation>
    </message>
    <message>
        <source>stopped after %1 of %2, because the shop could not be reached or refused the login: %3</source>
        <translation>berhenti setelah %1 dari %2, karena toko tidak dapat dihubungi atau menolak login: %3</translation>
    </message>
    <message>
        <source>Checked %1 of %2</source>
        <translation>Sudah dicek %1 dari %2</translation>
    </message>
    <message>
        <source>now %1</source>
        <translation>sekarang %1</translation>
    </message>
    <message>
        <source>%1 paid</source>
        <translation>%1 dibayar</translation>
    </message>
    <message>
        <source>%1 could not be checked</source>
        <translation>%1 tidak dapat dicek</translation>
    </message>
    <message>
        <source>Could not be checked</source>
        <translation>Tidak dapat dicek</translation>
    </message>
    <message>
        <source>Now paid</source>
        <translation>Kini dibayar</translation>
    </message>
    <message>
        <source>Already paid (%1)</source>
        <translation>Sudah dibayar (%1)</translation>
    </message>
    <message>
        <source>Nothing was sent: the shop already has %1 as %2.</source>
        <translation>Tidak ada yang dikirim: toko sudah mencatat %1 sebagai %2.</translation>
    </message>
    <message>
        <source>Nothing was sent: the notification was only shown.</source>
        <translation>Tidak ada yang dikirim: notifikasinya hanya ditampilkan.</translation>
    </message>
    <message>
        <source>The shop now shows %1 as %2.</source>
        <translation>Toko sekarang menampilkan %1 sebagai %2.</translation>
    </message>
    <message>
        <source>Still %2: Midtrans says &quot;%3&quot;, not settled, so there was no payment for the shop to apply.</source>
        <translation>Masih %2: Midtrans menyatakan &quot;%3&quot;, belum lunas, jadi tidak ada pembayaran yang bisa diterapkan toko.</translation>
    </message>
    <message>
        <source>Still %2: the shop ignored the notification because its payment record was already %4 (it drops a late settlement). Check the Midtrans dashboard and confirm the payment in the web admin.</source>
        <translation>Masih %2: toko mengabaikan notifikasi karena catatan pembayarannya sudah %4 (pelunasan yang terlambat dibuang). Periksa dasbor Midtrans dan konfirmasikan pembayarannya di admin web.</translation>
    </message>
    <message>
        <source>Still %2: the shop accepted the notification, but the order did not change.</source>
        <translation>Masih %2: toko menerima notifikasi, tetapi pesanannya tidak berubah.</translation>
    </message>
    <message>
        <source>The shop accepted the notification, but reading the order afterwards failed (%5); look at the order again in a moment.</source>
        <translation>Toko menerima notifikasi, tetapi pesanan gagal dibaca sesudahnya (%5); lihat lagi pesanan itu sebentar lagi.</translation>
    </message>
    <message>
        <source>Rejected: the Midtrans server key set in this app is not the shop&apos;s (a wrong key, or the other environment&apos;s). Nothing changed; check the key in Settings → Midtrans.</source>
        <translation>Ditolak: server key Midtrans di aplikasi ini bukan milik toko (kunci yang salah, atau milik lingkungan yang lain). Tidak ada yang berubah; periksa kuncinya di Pengaturan → Midtrans.</translation>
    </message>
    <message>
        <source>Rejected: the shop found no such order. Nothing changed.</source>
        <translation>Ditolak: toko tidak menemukan pesanan itu. Tidak ada yang berubah.</translation>
    </message>
    <message>
        <source>Rejected: the order has no VA, QRIS or GoPay payment for the webhook to apply it to. Nothing changed.</source>
        <translation>Ditolak: pesanan tidak punya pembayaran VA, QRIS, atau GoPay untuk diterapkan oleh webhook. Tidak ada yang berubah.</translation>
    </message>
    <message>
        <source>Rejected by the shop. Nothing changed.</source>
        <translation>Ditolak toko. Tidak ada yang berubah.</translation>
    </message>
    <message>
        <source>settled: the money arrived</source>
        <translation>lunas: dananya sudah masuk</translation>
    </message>
    <message>
        <source>captured (card): the money arrived</source>
        <translation>captured (kartu): dananya sudah masuk</translation>
    </message>
    <message>
        <source>not paid yet</source>
        <translation>belum dibayar</translation>
    </message>
    <message>
        <source>expired unpaid</source>
        <translation>kedaluwarsa tanpa dibayar</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>dibatalkan</translation>
    </message>
    <message>
        <source>denied</source>
        <translation>ditolak</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>gagal</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>dikembalikan</translation>
    </message>
    <message>
        <source>The payment was missing here and is now recorded as found by the replay.</source>
        <translation>Pembayaran ini sempat terlewat di sini dan kini dicatat sebagai ditemukan oleh putar ulang.</translation>
    </message>
    <message>
        <source>The shop&apos;s webhook answered &quot;ok&quot;: it accepted the notification. (It answers HTTP 200 to everything; the body of the answer is what counts.)</source>
        <translation>Webhook toko menjawab &quot;ok&quot;: notifikasi diterima. (Webhook selalu menjawab HTTP 200; yang menentukan adalah isi jawabannya.)</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>tanpa pesan</translation>
    </message>
    <message>
        <source>The shop&apos;s webhook answered &quot;%1&quot;: &quot;%2&quot;. (It answers HTTP 200 to everything; the body of the answer is what counts.)</source>
        <translation>Webhook toko menjawab &quot;%1&quot;: &quot;%2&quot;. (Webhook selalu menjawab HTTP 200; yang menentukan adalah isi jawabannya.)</translation>
    </message>
    <message>
        <source>The shop has no Midtrans transaction id for this order, so the app cannot tell Midtrans which payment to look up. Type its Midtrans order id: in the Midtrans dashboard open Transactions, search for the order code and copy the &quot;Order ID&quot; column. It looks like %1 (the order code, then a number and a short code). Midtrans&apos; payment e-mail shows it too; a Midtrans transaction id works as well.</source>
        <translation>Toko tidak punya ID transaksi Midtrans untuk pesanan ini, jadi aplikasi tidak bisa memberi tahu Midtrans pembayaran mana yang dicari. Ketik Order ID Midtrans-nya: di dasbor Midtrans buka Transaksi (Transactions), cari kode pesanan, lalu salin kolom &quot;Order ID&quot;. Bentuknya seperti %1 (kode pesanan, lalu sebuah angka dan kode pendek). E-mail pembayaran dari Midtrans juga memuatnya; ID transaksi Midtrans juga bisa dipakai.</translation>
    </message>
    <message>
        <source>Midtrans says &quot;%1&quot;, not settled: this notification will not mark the order paid.</source>
        <translation>Midtrans menyatakan &quot;%1&quot;, belum lunas: notifikasi ini tidak akan menandai pesanan sebagai dibayar.</translation>
    </message>
    <message>
        <source>The shop&apos;s payment record is already final; the webhook ignores a notification for a final payment, so this replay will probably change nothing.</source>
        <translation>Catatan pembayaran di toko sudah final; webhook mengabaikan notifikasi untuk pembayaran yang sudah final, jadi putar ulang ini kemungkinan tidak mengubah apa pun.</translation>
    </message>
    <message>
        <source>The app is not connected to the shop right now.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko.</translation>
    </message>
    <message>
        <source>Midtrans refused the server key: it is wrong, or belongs to the other environment (sandbox keys start with SB-Mid-server-). Fix it in Settings → Midtrans.</source>
        <translation>Midtrans menolak server key: kuncinya salah, atau milik lingkungan yang lain (kunci sandbox diawali SB-Mid-server-). Perbaiki di Pengaturan → Midtrans.</translation>
    </message>
    <message>
        <source>Midtrans knows no such transaction. Check the id: a Midtrans order id looks like %1.</source>
        <translation>Midtrans tidak mengenal transaksi itu. Periksa ID-nya: Order ID Midtrans bentuknya seperti %1.</translation>
    </message>
    <message>
        <source>Midtrans could not be reached or is busy; try again in a moment. (%1)</source>
        <translation>Midtrans tidak dapat dihubungi atau sedang sibuk; coba lagi sebentar lagi. (%1)</translation>
    </message>
    <message>
        <source>The shop knows no such order.</source>
        <translation>Toko tidak mengenal pesanan itu.</translation>
    </message>
    <message>
        <source>The shop refused the login: log in again (Connection → Log in again).</source>
        <translation>Toko menolak login: masuk lagi (Koneksi → Masuk lagi).</translation>
    </message>
    <message>
        <source>This account is not the shop&apos;s admin account.</source>
        <translation>Akun ini bukan akun admin toko.</translation>
    </message>
    <message>
        <source>The shop could not be reached: %1</source>
        <translation>Toko tidak dapat dihubungi: %1</translation>
    </message>
    <message>
        <source>Something unexpected went wrong; the log file has the details.</source>
        <translation>Terjadi kesalahan tak terduga; rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>Nothing to replay: the shop already has this order as %1. A replay would mark it paid again and e-mail the customer a second time.</source>
        <translation>Tidak ada yang perlu diputar ulang: toko sudah mencatat pesanan ini sebagai %1. Putar ulang akan menandainya dibayar sekali lagi dan mengirim e-mail kedua ke pelanggan.</translation>
    </message>
    <message>
        <source>Set the Midtrans environment and server key first (Settings → Midtrans).</source>
        <translation>Atur dulu lingkungan Midtrans dan server key-nya (Pengaturan → Midtrans).</translation>
    </message>
    <message>
        <source>The Midtrans id %1 belongs to order %2, not this one; nothing was sent. Check the id you typed.</source>
        <translation>ID Midtrans %1 milik pesanan %2, bukan pesanan ini; tidak ada yang dikirim. Periksa ID yang Anda ketik.</translation>
    </message>
    <message>
        <source>The webhook address %1 is not on the shop&apos;s backend (%2): a replay is only sent to the configured backend.</source>
        <translation>Alamat webhook %1 tidak berada di backend toko (%2): putar ulang hanya dikirim ke backend yang diatur.</translation>
    </message>
    <message>
        <source>This goes to the live shop: type the order code to confirm.</source>
        <translation>Ini dikirim ke toko yang sebenarnya: ketik kode pesanan untuk mengonfirmasi.</translation>
    </message>
    <message>
        <source>Log entry %1 holds no notification to send again.</source>
        <translation>Entri log %1 tidak memuat notifikasi yang bisa dikirim ulang.</translation>
    </message>
    <message>
        <source>Already paid; Midtrans not asked</source>
        <translation>Sudah dibayar; Midtrans tidak ditanya</translation>
    </message>
    <message>
        <source>No VA, QRIS or GoPay payment to check</source>
        <translation>Tidak ada pembayaran VA, QRIS, atau GoPay untuk dicek</translation>
    </message>
    <message>
        <source>Still pending (or Midtrans unreachable)</source>
        <translation>Masih tertunda (atau Midtrans tak terjangkau)</translation>
    </message>
    <message>
        <source>Cancelled by an admin; Midtrans not asked</source>
        <translation>Dibatalkan admin; Midtrans tidak ditanya</translation>
    </message>
    <message>
        <source>Payment cancelled at Midtrans</source>
        <translation>Pembayaran dibatalkan di Midtrans</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Kedaluwarsa</translation>
    </message>
    <message>
        <source>Denied at Midtrans</source>
        <translation>Ditolak di Midtrans</translation>
    </message>
    <message>
        <source>Payment already final; Midtrans not asked</source>
        <translation>Pembayaran sudah final; Midtrans tidak ditanya</translation>
    </message>
    <message>
        <source>Not sent: already paid</source>
        <translation>Tidak dikirim: sudah dibayar</translation>
    </message>
    <message>
        <source>Accepted: now paid</source>
        <translation>Diterima: kini dibayar</translation>
    </message>
    <message>
        <source>Accepted; not settled at Midtrans</source>
        <translation>Diterima; belum lunas di Midtrans</translation>
    </message>
    <message>
        <source>Ignored: payment already final</source>
        <translation>Diabaikan: pembayaran sudah final</translation>
    </message>
    <message>
        <source>Accepted; nothing changed</source>
        <translation>Diterima; tidak ada yang berubah</translation>
    </message>
    <message>
        <source>Accepted; the order could not be read after</source>
        <translation>Diterima; pesanan gagal dibaca sesudahnya</translation>
    </message>
    <message>
        <source>Rejected: wrong server key</source>
        <translation>Ditolak: server key salah</translation>
    </message>
    <message>
        <source>Rejected: no such order</source>
        <translation>Ditolak: pesanan tidak ada</translation>
    </message>
    <message>
        <source>Rejected: no VA, QRIS or GoPay payment</source>
        <translation>Ditolak: tidak ada pembayaran VA, QRIS, atau GoPay</translation>
    </message>
    <message>
        <source>Did not work: %1</source>
        <translation>Gagal: %1</translation>
    </message>
    <message>
        <source>cancelled by the admin</source>
        <translation>dibatalkan oleh admin</translation>
    </message>
</context>
<context>
    <name>ActionsView</name>
    <message numerus="yes">
        <source>%n actions</source>
        <translation>
            <numerusform>%n tindakan</numerusform>
        </translation>
    </message>
    <message>
        <source>Select an action to see what was asked and what came back.</source>
        <translation>Pilih sebuah tindakan untuk melihat apa yang diminta dan apa jawabannya.</translation>
    </message>
    <message>
        <source>Request (no secrets are ever stored; a notification&apos;s signature is hidden):</source>
        <translation>Permintaan (rahasia tidak pernah disimpan; tanda tangan notifikasi disembunyikan):</translation>
    </message>
    <message>
        <source>Response:</source>
        <translation>Jawaban:</translation>
    </message>
    <message>
        <source>Actions log — Zavera Desktop</source>
        <translation>Log tindakan — Zavera Desktop</translation>
    </message>
    <message>
        <source>Every status check, check of all stuck payments and webhook replay made from this computer (window and command line), newest first. Double-click a row to see its order.</source>
        <translation>Setiap cek status, cek semua pembayaran yang macet, dan putar ulang webhook dari komputer ini (jendela dan baris perintah), yang terbaru di atas. Klik dua kali sebuah baris untuk melihat pesanannya.</translation>
    </message>
    <message>
        <source>Order code</source>
        <translation>Kode pesanan</translation>
    </message>
    <message>
        <source>Admin e-mail</source>
        <translation>E-mail admin</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Semua tindakan</translation>
    </message>
    <message>
        <source>All outcomes</source>
        <translation>Semua hasil</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Kapan saja</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hari ini</translation>
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
        <source>&amp;Replay again…</source>
        <translation>&amp;Putar ulang lagi…</translation>
    </message>
    <message>
        <source>Send this replay&apos;s notification again, exactly as it was sent</source>
        <translation>Kirim lagi notifikasi dari putar ulang ini, persis seperti yang dikirim</translation>
    </message>
    <message>
        <source>Show &amp;order</source>
        <translation>Tampilkan pe&amp;sanan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
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
    <name>AdminActionsUi</name>
    <message>
        <source>Re&amp;play notification…</source>
        <translation>&amp;Putar ulang notifikasi…</translation>
    </message>
    <message>
        <source>Select a payment first, or type an order code in the search.</source>
        <translation>Pilih sebuah pembayaran dulu, atau ketik kode pesanan di kotak pencarian.</translation>
    </message>
    <message>
        <source>Midtrans settings saved; replays use them from now on.</source>
        <translation>Pengaturan Midtrans tersimpan; putar ulang memakainya mulai sekarang.</translation>
    </message>
    <message>
        <source>order %1</source>
        <translation>pesanan %1</translation>
    </message>
    <message>
        <source>payment %1</source>
        <translation>pembayaran %1</translation>
    </message>
    <message>
        <source>no such order</source>
        <translation>pesanan tidak ada</translation>
    </message>
    <message>
        <source>not readable right now (%1)</source>
        <translation>belum dapat dibaca (%1)</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>T&amp;indakan</translation>
    </message>
    <message>
        <source>Check all &amp;stuck payments</source>
        <translation>&amp;Cek semua pembayaran yang macet</translation>
    </message>
    <message>
        <source>&amp;Replay the selected order&apos;s notification…</source>
        <translation>&amp;Putar ulang notifikasi pesanan yang dipilih…</translation>
    </message>
    <message>
        <source>Actions &amp;log</source>
        <translation>&amp;Log tindakan</translation>
    </message>
    <message>
        <source>&amp;Midtrans settings…</source>
        <translation>Pengaturan &amp;Midtrans…</translation>
    </message>
    <message>
        <source>Check all stuck</source>
        <translation>Cek yang macet</translation>
    </message>
    <message>
        <source>Ask the shop to check every stuck payment with Midtrans, one at a time</source>
        <translation>Minta toko memeriksa setiap pembayaran yang macet ke Midtrans, satu per satu</translation>
    </message>
    <message>
        <source>Replay notification…</source>
        <translation>Putar ulang notifikasi…</translation>
    </message>
    <message>
        <source>Ask Midtrans itself and send the shop the notification it missed (you see it before it is sent)</source>
        <translation>Tanya langsung ke Midtrans dan kirim ke toko notifikasi yang terlewat (Anda melihatnya sebelum dikirim)</translation>
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
    <name>AuditModel</name>
    <message>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Hasil</translation>
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
    <name>BulkCheckDialog</name>
    <message>
        <source>Stopping after the payment being checked…</source>
        <translation>Berhenti setelah pembayaran yang sedang dicek…</translation>
    </message>
    <message>
        <source>Reading the stuck payments from the shop&apos;s dashboard…</source>
        <translation>Membaca pembayaran yang macet dari dasbor toko…</translation>
    </message>
    <message>
        <source>So far: %1</source>
        <translation>Sejauh ini: %1</translation>
    </message>
    <message>
        <source>Check all stuck did not work: %1</source>
        <translation>Cek semua yang macet gagal: %1</translation>
    </message>
    <message>
        <source>Check &amp;again</source>
        <translation>Cek &amp;lagi</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Mulai</translation>
    </message>
    <message>
        <source>Check all stuck payments — Zavera Desktop</source>
        <translation>Cek semua pembayaran yang macet — Zavera Desktop</translation>
    </message>
    <message>
        <source>Asks the shop to check every stuck payment (the pending checkouts its dashboard lists, at most 50) with Midtrans, one at a time and at most one check per payment every 5 seconds. Payments Midtrans has are marked paid and appear in the list as usual.</source>
        <translation>Meminta toko memeriksa setiap pembayaran yang macet (checkout tertunda yang tercantum di dasbornya, paling banyak 50) ke Midtrans, satu per satu dan paling banyak satu pemeriksaan per pembayaran setiap 5 detik. Pembayaran yang sudah diterima Midtrans ditandai dibayar dan muncul di daftar seperti biasa.</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>&amp;Replay notification…</source>
        <translation>&amp;Putar ulang notifikasi…</translation>
    </message>
    <message>
        <source>For a customer with proof of payment: replay the selected order&apos;s Midtrans notification</source>
        <translation>Untuk pelanggan yang punya bukti pembayaran: putar ulang notifikasi Midtrans dari pesanan yang dipilih</translation>
    </message>
    <message>
        <source>Cancel the run</source>
        <translation>Batalkan pengecekan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>ChecksView</name>
    <message>
        <source>The app is not connected to the shop right now; try again in a moment.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko; coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>The app is not connected to the shop right now.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong; the log file has the details.</source>
        <translation>Terjadi kesalahan tak terduga; rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>The checks could not run: %1</source>
        <translation>Pemeriksaan tidak dapat dijalankan: %1</translation>
    </message>
    <message>
        <source>Running the checks… (%1 done; the live stream check can take up to a minute)</source>
        <translation>Menjalankan pemeriksaan… (%1 selesai; pemeriksaan siaran langsung bisa memakan waktu hingga satu menit)</translation>
    </message>
    <message>
        <source>%1 passed, %2 failed, %3 not checked.</source>
        <translation>%1 lolos, %2 gagal, %3 tidak diperiksa.</translation>
    </message>
    <message>
        <source>Run at %1.</source>
        <translation>Dijalankan pada %1.</translation>
    </message>
    <message>
        <source>Not run yet.</source>
        <translation>Belum dijalankan.</translation>
    </message>
    <message>
        <source>The report was copied (in English, as “zavera-desktop doctor” prints it).</source>
        <translation>Laporan sudah disalin (dalam bahasa Inggris, seperti yang dicetak “zavera-desktop doctor”).</translation>
    </message>
    <message>
        <source>The same checks as “zavera-desktop doctor”: can this computer reach the backend, log in, receive the live stream, and use the Midtrans server key? Nothing is changed in the shop.</source>
        <translation>Pemeriksaan yang sama dengan “zavera-desktop doctor”: apakah komputer ini bisa menjangkau backend, masuk, menerima siaran langsung, dan memakai server key Midtrans? Tidak ada yang diubah di toko.</translation>
    </message>
    <message>
        <source>Run checks</source>
        <translation>Jalankan pemeriksaan</translation>
    </message>
    <message>
        <source>Run every setup check now (a few seconds, up to a minute)</source>
        <translation>Jalankan semua pemeriksaan pengaturan sekarang (beberapa detik, paling lama satu menit)</translation>
    </message>
    <message>
        <source>Also test the webhook route</source>
        <translation>Uji juga rute webhook</translation>
    </message>
    <message>
        <source>Sends one unsigned test notification to the backend&apos;s Core webhook route; a working route refuses it and nothing changes.</source>
        <translation>Mengirim satu notifikasi uji tanpa tanda tangan ke rute webhook Core di backend; rute yang berfungsi akan menolaknya dan tidak ada yang berubah.</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Salin laporan</translation>
    </message>
    <message>
        <source>Copy the results as text, to send to whoever runs the server</source>
        <translation>Salin hasilnya sebagai teks, untuk dikirim ke pengelola server</translation>
    </message>
</context>
<context>
    <name>ChecksWords</name>
    <message>
        <source>Backend reachable</source>
        <translation>Backend terjangkau</translation>
    </message>
    <message>
        <source>TLS certificate</source>
        <translation>Sertifikat TLS</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Admin rights</source>
        <translation>Hak admin</translation>
    </message>
    <message>
        <source>Payment dashboard endpoint</source>
        <translation>Endpoint dasbor pembayaran</translation>
    </message>
    <message>
        <source>Orders endpoint</source>
        <translation>Endpoint pesanan</translation>
    </message>
    <message>
        <source>Live stream</source>
        <translation>Siaran langsung</translation>
    </message>
    <message>
        <source>Midtrans server key</source>
        <translation>Server key Midtrans</translation>
    </message>
    <message>
        <source>Core webhook route</source>
        <translation>Rute webhook Core</translation>
    </message>
    <message>
        <source>The backend answers.</source>
        <translation>Backend menjawab.</translation>
    </message>
    <message>
        <source>The certificate is trusted and not about to expire.</source>
        <translation>Sertifikatnya tepercaya dan belum akan kedaluwarsa.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock agrees with the backend&apos;s.</source>
        <translation>Jam komputer ini sesuai dengan jam backend.</translation>
    </message>
    <message>
        <source>The login is accepted.</source>
        <translation>Login diterima.</translation>
    </message>
    <message>
        <source>The account has admin rights.</source>
        <translation>Akun ini punya hak admin.</translation>
    </message>
    <message>
        <source>The payment dashboard answers.</source>
        <translation>Dasbor pembayaran menjawab.</translation>
    </message>
    <message>
        <source>The orders list answers.</source>
        <translation>Daftar pesanan menjawab.</translation>
    </message>
    <message>
        <source>The live stream connects and delivers events.</source>
        <translation>Siaran langsung tersambung dan mengirim kejadian.</translation>
    </message>
    <message>
        <source>Midtrans accepts the server key.</source>
        <translation>Midtrans menerima server key.</translation>
    </message>
    <message>
        <source>The Core webhook route exists and refused an unsigned test notification, as it should.</source>
        <translation>Rute webhook Core ada dan menolak notifikasi uji tanpa tanda tangan, sebagaimana mestinya.</translation>
    </message>
    <message>
        <source>The backend cannot be reached, or the server in front of it answers with an error.</source>
        <translation>Backend tidak dapat dijangkau, atau server di depannya menjawab dengan galat.</translation>
    </message>
    <message>
        <source>The backend&apos;s certificate is not trusted, or expires soon.</source>
        <translation>Sertifikat backend tidak tepercaya, atau segera kedaluwarsa.</translation>
    </message>
    <message>
        <source>This computer&apos;s clock differs from the backend&apos;s by more than a minute.</source>
        <translation>Jam komputer ini berbeda lebih dari satu menit dengan jam backend.</translation>
    </message>
    <message>
        <source>The login is refused.</source>
        <translation>Login ditolak.</translation>
    </message>
    <message>
        <source>This account is not the shop admin.</source>
        <translation>Akun ini bukan admin toko.</translation>
    </message>
    <message>
        <source>The payment dashboard does not answer as expected.</source>
        <translation>Dasbor pembayaran tidak menjawab sebagaimana mestinya.</translation>
    </message>
    <message>
        <source>The orders list does not answer as expected.</source>
        <translation>Daftar pesanan tidak menjawab sebagaimana mestinya.</translation>
    </message>
    <message>
        <source>The live stream does not work: it is refused, cut, or held back.</source>
        <translation>Siaran langsung tidak berfungsi: ditolak, terputus, atau tertahan.</translation>
    </message>
    <message>
        <source>Midtrans refuses the server key, or cannot be reached.</source>
        <translation>Midtrans menolak server key, atau tidak dapat dijangkau.</translation>
    </message>
    <message>
        <source>The Core webhook route is missing or did not refuse an unsigned test notification.</source>
        <translation>Rute webhook Core tidak ada atau tidak menolak notifikasi uji tanpa tanda tangan.</translation>
    </message>
    <message>
        <source>Check the backend address and this computer&apos;s internet connection, and that the backend is running.</source>
        <translation>Periksa alamat backend dan koneksi internet komputer ini, dan pastikan backend sedang berjalan.</translation>
    </message>
    <message>
        <source>Renew the backend&apos;s certificate (for example with Let&apos;s Encrypt) and check this computer&apos;s date and time.</source>
        <translation>Perbarui sertifikat backend (misalnya dengan Let&apos;s Encrypt) dan periksa tanggal dan jam komputer ini.</translation>
    </message>
    <message>
        <source>Turn on automatic date and time on this computer; if this computer is right, ask whoever runs the backend to fix the server&apos;s clock.</source>
        <translation>Aktifkan tanggal dan jam otomatis di komputer ini; jika komputer ini sudah benar, minta pengelola backend membetulkan jam server.</translation>
    </message>
    <message>
        <source>Log in again with the shop admin&apos;s e-mail and password, or paste a fresh token from the web admin.</source>
        <translation>Masuk lagi dengan e-mail dan kata sandi admin toko, atau tempel token baru dari admin web.</translation>
    </message>
    <message>
        <source>Log in with the shop admin&apos;s account.</source>
        <translation>Masuk dengan akun admin toko.</translation>
    </message>
    <message>
        <source>Ask whoever runs the backend to look at its logs; the backend may be an old version.</source>
        <translation>Minta pengelola backend memeriksa log-nya; mungkin backend-nya versi lama.</translation>
    </message>
    <message>
        <source>A proxy between here and the backend holds the stream back. For nginx, give /api/admin/events “proxy_buffering off; proxy_read_timeout 1h; proxy_http_version 1.1;”; for other proxies, turn off response buffering and raise the idle timeout above 60 s.</source>
        <translation>Ada proxy di antara komputer ini dan backend yang menahan siaran. Untuk nginx, beri /api/admin/events “proxy_buffering off; proxy_read_timeout 1h; proxy_http_version 1.1;”; untuk proxy lain, matikan buffering respons dan naikkan batas waktu idle di atas 60 detik.</translation>
    </message>
    <message>
        <source>Copy the Server Key again from the Midtrans dashboard (Settings → Access Keys) of the shop&apos;s environment; it is not the Client Key.</source>
        <translation>Salin lagi Server Key dari dasbor Midtrans (Settings → Access Keys) di lingkungan yang dipakai toko; bukan Client Key.</translation>
    </message>
    <message>
        <source>Forward /api/webhook/ to the backend unchanged, or ask whoever runs the backend.</source>
        <translation>Teruskan /api/webhook/ ke backend tanpa diubah, atau tanyakan ke pengelola backend.</translation>
    </message>
    <message>
        <source>Not checked: a check it needs failed.</source>
        <translation>Tidak diperiksa: pemeriksaan yang dibutuhkannya gagal.</translation>
    </message>
    <message>
        <source>No Midtrans server key is configured (optional): payments are checked through the backend only, and money Midtrans received for expired or cancelled orders cannot be found.</source>
        <translation>Server key Midtrans belum diatur (opsional): pembayaran hanya diperiksa lewat backend, dan dana yang diterima Midtrans untuk pesanan kedaluwarsa atau dibatalkan tidak dapat ditemukan.</translation>
    </message>
    <message>
        <source>To turn it on, give the Midtrans environment and server key in the settings.</source>
        <translation>Untuk mengaktifkannya, isi lingkungan dan server key Midtrans di pengaturan.</translation>
    </message>
    <message>
        <source>Passed.</source>
        <translation>Lolos.</translation>
    </message>
    <message>
        <source>Failed.</source>
        <translation>Gagal.</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Lolos</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Tidak diperiksa</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>Yang perlu dilakukan: %1</translation>
    </message>
    <message>
        <source>The check&apos;s own report (English): %1</source>
        <translation>Laporan asli pemeriksaan (bahasa Inggris): %1</translation>
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
        <source>Live stream</source>
        <translation>Siaran langsung</translation>
    </message>
    <message>
        <source>All sources</source>
        <translation>Semua sumber</translation>
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
    <name>FindingView</name>
    <message>
        <source>Open since %1</source>
        <extracomment>history rows read per page (newest first; &quot;Show older&quot; reads the next page) open alerts read at start (there are a handful; orphans are once per order) the &quot;right now&quot; line is re-read at most this often while the panel is visible</extracomment>
        <translation>Terbuka sejak %1</translation>
    </message>
    <message>
        <source>Open from %1 to %2. %3</source>
        <translation>Terbuka dari %1 sampai %2. %3</translation>
    </message>
    <message>
        <source>Click an order to select it in the payments list</source>
        <translation>Klik sebuah pesanan untuk memilihnya di daftar pembayaran</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Apa yang terjadi</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>Yang perlu dilakukan</translation>
    </message>
    <message>
        <source>Copy the notification URL</source>
        <translation>Salin URL notifikasi</translation>
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
    <name>HealthBadge</name>
    <message numerus="yes">
        <source>%n health findings</source>
        <translation>
            <numerusform>%n temuan kesehatan</numerusform>
        </translation>
    </message>
    <message>
        <source>Payment health — open now:</source>
        <translation>Kesehatan pembayaran — terbuka sekarang:</translation>
    </message>
    <message>
        <source>and %1 more</source>
        <translation>dan %1 lainnya</translation>
    </message>
    <message>
        <source>Payment health OK</source>
        <translation>Kesehatan pembayaran baik</translation>
    </message>
    <message>
        <source>No payment-health findings are open. Click for the history and the setup checks.</source>
        <translation>Tidak ada temuan kesehatan pembayaran yang terbuka. Klik untuk melihat riwayat dan pemeriksaan pengaturan.</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <source>Open now (%1)</source>
        <translation>Terbuka sekarang (%1)</translation>
    </message>
    <message>
        <source>Open now: nothing — payments arrive as they should</source>
        <translation>Terbuka sekarang: tidak ada — pembayaran masuk sebagaimana mestinya</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>Riwayat (%1)</translation>
    </message>
    <message>
        <source>History: nothing has cleared yet</source>
        <translation>Riwayat: belum ada yang selesai</translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation>Temuan (%1)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Temuan</translation>
    </message>
    <message numerus="yes">
        <source>%n orders</source>
        <translation>
            <numerusform>%n pesanan</numerusform>
        </translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>sejak %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Mulai %1</translation>
    </message>
    <message>
        <source>Cleared %1</source>
        <translation>Selesai %1</translation>
    </message>
    <message>
        <source>Waiting for the first payments and the live connection…</source>
        <translation>Menunggu pembayaran pertama dan koneksi langsung…</translation>
    </message>
    <message>
        <source>Right now — the last %1 payments, by source: %2.</source>
        <translation>Saat ini — %1 pembayaran terakhir, menurut sumber: %2.</translation>
    </message>
    <message>
        <source>Right now — no payments seen since the start.</source>
        <translation>Saat ini — belum ada pembayaran sejak aplikasi dimulai.</translation>
    </message>
    <message>
        <source>Live connection in the last %1: down %2, drops %3.</source>
        <translation>Koneksi langsung dalam %1 terakhir: terputus %2, putus %3 kali.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kapan</translation>
    </message>
    <message>
        <source>Payment health</source>
        <translation>Kesehatan pembayaran</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Temuan</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Pemeriksaan</translation>
    </message>
    <message>
        <source>Show older…</source>
        <translation>Tampilkan yang lebih lama…</translation>
    </message>
    <message>
        <source>Select a finding to see what is wrong and what to do.</source>
        <translation>Pilih sebuah temuan untuk melihat masalahnya dan yang perlu dilakukan.</translation>
    </message>
</context>
<context>
    <name>HealthWords</name>
    <message>
        <source>Paid at Midtrans — not accepted by the shop</source>
        <extracomment>order codes named in one sentence before &quot;and N more&quot;</extracomment>
        <translation>Dibayar di Midtrans — belum diterima toko</translation>
    </message>
    <message>
        <source>Midtrans&apos; payment notifications do not arrive</source>
        <translation>Notifikasi pembayaran Midtrans tidak sampai</translation>
    </message>
    <message>
        <source>Payment notifications go to the wrong address</source>
        <translation>Notifikasi pembayaran dikirim ke alamat yang salah</translation>
    </message>
    <message>
        <source>The live connection keeps dropping</source>
        <translation>Koneksi langsung sering terputus</translation>
    </message>
    <message>
        <source>Paid at Midtrans — confirmed</source>
        <translation>Dibayar di Midtrans — sudah dikonfirmasi</translation>
    </message>
    <message>
        <source>Paid at Midtrans — dismissed</source>
        <translation>Dibayar di Midtrans — diabaikan</translation>
    </message>
    <message>
        <source>Paid at Midtrans — refunded</source>
        <translation>Dibayar di Midtrans — dana dikembalikan</translation>
    </message>
    <message>
        <source>Paid at Midtrans — accepted by the shop</source>
        <translation>Dibayar di Midtrans — diterima toko</translation>
    </message>
    <message>
        <source>Paid at Midtrans — closed</source>
        <translation>Dibayar di Midtrans — ditutup</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 dan %2 lainnya</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 dtk</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 mnt</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 jam</translation>
    </message>
    <message>
        <source>settled</source>
        <translation>lunas</translation>
    </message>
    <message>
        <source>captured (card)</source>
        <translation>tertagih (kartu)</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>dana dikembalikan</translation>
    </message>
    <message>
        <source>partly refunded</source>
        <translation>dana dikembalikan sebagian</translation>
    </message>
    <message>
        <source>%1 of the last %2 payments reached the shop only because Zavera Desktop asked Midtrans (%3): the backend never received Midtrans&apos; payment notification for them, so it did not know they were paid until asked.</source>
        <translation>%1 dari %2 pembayaran terakhir baru sampai ke toko karena Zavera Desktop menanyakannya ke Midtrans (%3): backend tidak pernah menerima notifikasi pembayaran dari Midtrans untuk pembayaran itu, jadi backend tidak tahu pembayaran itu lunas sampai ditanyakan.</translation>
    </message>
    <message>
        <source>Midtrans&apos; notifications reach one of the backend&apos;s Snap routes instead of the Core route: %1 became paid while their VA, QRIS or GoPay payment is still pending, and no “payment received” was announced (or someone marked them paid with the Snap recovery tools).</source>
        <translation>Notifikasi Midtrans sampai ke salah satu rute Snap di backend, bukan ke rute Core: %1 menjadi dibayar sementara pembayaran VA, QRIS, atau GoPay-nya masih tertunda, dan tidak ada pengumuman “pembayaran diterima” (atau seseorang menandainya dibayar dengan alat pemulihan Snap).</translation>
    </message>
    <message>
        <source>the money</source>
        <translation>dananya</translation>
    </message>
    <message>
        <source>Midtrans has %1 for this order (%2), but the shop does not consider it paid. The order is %3: its payment was already final (%4) when the money came, and the backend ignores a notification that arrives after a payment went final.</source>
        <translation>Midtrans sudah menerima %1 untuk pesanan ini (%2), tetapi toko tidak menganggapnya dibayar. Status pesanan: %3. Pembayarannya sudah final (%4) ketika dana masuk, dan backend mengabaikan notifikasi yang datang setelah pembayaran menjadi final.</translation>
    </message>
    <message>
        <source>Midtrans has %1 for this order (%2), but the shop does not consider it paid. The order is %3: the backend neither accepts a late notification for a cancelled order nor asks Midtrans about it.</source>
        <translation>Midtrans sudah menerima %1 untuk pesanan ini (%2), tetapi toko tidak menganggapnya dibayar. Status pesanan: %3. Backend tidak menerima notifikasi terlambat untuk pesanan yang dibatalkan dan juga tidak menanyakannya ke Midtrans.</translation>
    </message>
    <message>
        <source>Midtrans has %1 for this order (%2), but the shop does not consider it paid: the backend did not apply the payment to an order that is already %3.</source>
        <translation>Midtrans sudah menerima %1 untuk pesanan ini (%2), tetapi toko tidak menganggapnya dibayar: backend tidak menerapkan pembayaran itu ke pesanan yang sudah berstatus %3.</translation>
    </message>
    <message>
        <source>Nobody will ship this order unless you act.</source>
        <translation>Pesanan ini tidak akan dikirim kalau Anda tidak bertindak.</translation>
    </message>
    <message>
        <source>The live connection to the shop was down for %1 of the last %2.</source>
        <translation>Koneksi langsung ke toko terputus selama %1 dalam %2 terakhir.</translation>
    </message>
    <message>
        <source>Connection drops in the last %1: %2.</source>
        <translation>Koneksi putus dalam %1 terakhir: %2 kali.</translation>
    </message>
    <message>
        <source>The live connection to the shop is unstable.</source>
        <translation>Koneksi langsung ke toko tidak stabil.</translation>
    </message>
    <message>
        <source>Each time it had been up for about %1.</source>
        <translation>Setiap kali, koneksi itu baru tersambung sekitar %1.</translation>
    </message>
    <message>
        <source>Payments are still found, by polling, but later.</source>
        <translation>Pembayaran tetap ditemukan lewat pengecekan berkala, tetapi lebih lambat.</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Galat terakhir: %1</translation>
    </message>
    <message>
        <source>Check the payment in the Midtrans dashboard (search for %1), then use “Confirm payment”: the order becomes paid, as with the web admin&apos;s Confirm Payment button.</source>
        <translation>Periksa pembayarannya di dasbor Midtrans (cari %1), lalu pakai “Konfirmasi pembayaran”: pesanan menjadi dibayar, sama seperti tombol Confirm Payment di admin web.</translation>
    </message>
    <message>
        <source>The shop can no longer accept this payment: an order that is %1 cannot become paid (the backend allows that only from pending). Refund the customer in the Midtrans dashboard (search for %2), or contact them.</source>
        <translation>Toko tidak bisa lagi menerima pembayaran ini: pesanan yang berstatus %1 tidak bisa menjadi dibayar (backend hanya mengizinkannya dari status menunggu pembayaran). Kembalikan dana pelanggan lewat dasbor Midtrans (cari %2), atau hubungi pelanggan.</translation>
    </message>
    <message>
        <source>In the Midtrans dashboard, Settings → Payment → Payment notification URL: it must be %1, and that address must be reachable from the internet (not localhost, not behind a login, a VPN or a firewall). “Run checks” with the webhook test tries the route from here.</source>
        <translation>Di dasbor Midtrans, Settings → Payment → Payment notification URL: alamatnya harus %1, dan alamat itu harus bisa dijangkau dari internet (bukan localhost, tidak di balik login, VPN, atau firewall). “Jalankan pemeriksaan” dengan uji webhook mencoba rute itu dari sini.</translation>
    </message>
    <message>
        <source>In the Midtrans dashboard, Settings → Payment → Payment notification URL: replace the Snap route (%1, %2 or %3) by %4.</source>
        <translation>Di dasbor Midtrans, Settings → Payment → Payment notification URL: ganti rute Snap (%1, %2, atau %3) dengan %4.</translation>
    </message>
    <message>
        <source>Something between this computer and the backend cuts long-lived connections. If the backend runs behind nginx, give the /api/admin/events location “proxy_read_timeout 1h; proxy_buffering off; proxy_http_version 1.1;” (nginx cuts a quiet connection after 60 s by default); behind another proxy or load balancer, raise its idle timeout well above 60 s and turn off response buffering for text/event-stream. Also check this computer&apos;s network.</source>
        <translation>Ada sesuatu di antara komputer ini dan backend yang memutus koneksi panjang. Jika backend berjalan di balik nginx, beri location /api/admin/events “proxy_read_timeout 1h; proxy_buffering off; proxy_http_version 1.1;” (secara bawaan nginx memutus koneksi yang diam setelah 60 detik); di balik proxy atau load balancer lain, naikkan batas waktu idle-nya jauh di atas 60 detik dan matikan buffering respons untuk text/event-stream. Periksa juga jaringan komputer ini.</translation>
    </message>
    <message>
        <source>The connection was cut after about %1 each time: that is a proxy&apos;s idle or request timeout.</source>
        <translation>Koneksi terputus setiap kali setelah sekitar %1: itu batas waktu idle atau permintaan dari sebuah proxy.</translation>
    </message>
    <message>
        <source>Payments arrive again without having to ask Midtrans.</source>
        <translation>Pembayaran kembali masuk tanpa perlu bertanya ke Midtrans.</translation>
    </message>
    <message>
        <source>The latest payments did not come through a Snap route.</source>
        <translation>Pembayaran terbaru tidak lagi masuk lewat rute Snap.</translation>
    </message>
    <message>
        <source>The live connection held for a whole hour.</source>
        <translation>Koneksi langsung bertahan selama satu jam penuh.</translation>
    </message>
    <message>
        <source>Dismissed by %1: %2</source>
        <translation>Diabaikan oleh %1: %2</translation>
    </message>
    <message>
        <source>Dismissed by %1.</source>
        <translation>Diabaikan oleh %1.</translation>
    </message>
    <message>
        <source>Confirmed by %1: the order is now paid.</source>
        <translation>Dikonfirmasi oleh %1: pesanan sekarang dibayar.</translation>
    </message>
    <message>
        <source>Midtrans reports the payment partly refunded.</source>
        <translation>Midtrans melaporkan dana pembayaran ini dikembalikan sebagian.</translation>
    </message>
    <message>
        <source>Midtrans reports the payment refunded: the money went back to the customer.</source>
        <translation>Midtrans melaporkan dana pembayaran ini dikembalikan: uangnya kembali ke pelanggan.</translation>
    </message>
    <message>
        <source>The shop now has this order as paid.</source>
        <translation>Toko kini mencatat pesanan ini sebagai dibayar.</translation>
    </message>
    <message>
        <source>No longer open.</source>
        <translation>Sudah tidak terbuka.</translation>
    </message>
    <message>
        <source>order %1</source>
        <translation>pesanan %1</translation>
    </message>
    <message>
        <source>Check it and confirm the payment in Zavera Desktop.</source>
        <translation>Periksa lalu konfirmasi pembayarannya di Zavera Desktop.</translation>
    </message>
    <message>
        <source>The shop cannot accept it any more: refund it from the Midtrans dashboard.</source>
        <translation>Toko tidak bisa lagi menerimanya: kembalikan dananya lewat dasbor Midtrans.</translation>
    </message>
    <message>
        <source>%1 of the last %2 payments were found only by asking Midtrans.</source>
        <translation>%1 dari %2 pembayaran terakhir baru ditemukan setelah bertanya ke Midtrans.</translation>
    </message>
    <message>
        <source>Payments reach the shop through the Snap route and are not announced.</source>
        <translation>Pembayaran masuk ke toko lewat rute Snap dan tidak diumumkan.</translation>
    </message>
    <message>
        <source>Open Payment health for the fix.</source>
        <translation>Buka Kesehatan pembayaran untuk cara memperbaikinya.</translation>
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
        <source>No payments yet. Each payment appears here the moment the shop receives it.</source>
        <translation>Belum ada pembayaran. Setiap pembayaran muncul di sini begitu toko menerimanya.</translation>
    </message>
    <message>
        <source>No payments match these filters.</source>
        <translation>Tidak ada pembayaran yang cocok dengan filter ini.</translation>
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
    <name>MidtransSettingsDialog</name>
    <message>
        <source>Midtrans — Zavera Desktop</source>
        <translation>Midtrans — Zavera Desktop</translation>
    </message>
    <message>
        <source>To replay a notification the shop never received, the app asks Midtrans itself for the payment&apos;s status and signs the notification with the shop&apos;s server key. The automatic checks use it too, to ask Midtrans directly. The key never leaves this computer except inside that signature and Midtrans&apos; own login.</source>
        <translation>Untuk memutar ulang notifikasi yang tidak pernah diterima toko, aplikasi menanyakan status pembayaran langsung ke Midtrans dan menandatangani notifikasinya dengan server key toko. Pemeriksaan otomatis juga memakainya untuk bertanya langsung ke Midtrans. Kunci ini tidak pernah keluar dari komputer ini kecuali di dalam tanda tangan itu dan login ke Midtrans sendiri.</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Lingkungan:</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Belum diatur</translation>
    </message>
    <message>
        <source>Sandbox (api.sandbox.midtrans.com)</source>
        <translation>Sandbox (api.sandbox.midtrans.com)</translation>
    </message>
    <message>
        <source>Production (api.midtrans.com, real money)</source>
        <translation>Produksi (api.midtrans.com, uang sungguhan)</translation>
    </message>
    <message>
        <source>Custom address…</source>
        <translation>Alamat khusus…</translation>
    </message>
    <message>
        <source>Midtrans &amp;address:</source>
        <translation>&amp;Alamat Midtrans:</translation>
    </message>
    <message>
        <source>Server &amp;key:</source>
        <translation>Server &amp;key:</translation>
    </message>
    <message>
        <source>Midtrans dashboard → Settings → Access Keys → Server Key. Sandbox keys start with SB-Mid-server-.</source>
        <translation>Dasbor Midtrans → Settings → Access Keys → Server Key. Kunci sandbox diawali SB-Mid-server-.</translation>
    </message>
    <message>
        <source>Shop&apos;s &amp;webhook:</source>
        <translation>&amp;Webhook toko:</translation>
    </message>
    <message>
        <source>Where replays are posted. Leave it empty for the usual address (%1); it must be on the shop&apos;s backend.</source>
        <translation>Ke mana putar ulang dikirim. Kosongkan untuk alamat biasa (%1); alamatnya harus berada di backend toko.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Without Midtrans, replays are not possible; status checks still work (the shop asks Midtrans itself).</source>
        <translation>Tanpa Midtrans, putar ulang tidak bisa dilakukan; cek status tetap berjalan (toko bertanya sendiri ke Midtrans).</translation>
    </message>
    <message>
        <source>Midtrans dashboard → Settings → Access Keys → Server Key (sandbox keys start with SB-Mid-server-).</source>
        <translation>Dasbor Midtrans → Settings → Access Keys → Server Key (kunci sandbox diawali SB-Mid-server-).</translation>
    </message>
    <message>
        <source>Looking in the password store…</source>
        <translation>Mencari di penyimpanan kata sandi…</translation>
    </message>
    <message>
        <source>A server key is set; leave the field empty to keep it, or type a new one.</source>
        <translation>Server key sudah diatur; biarkan kolom ini kosong untuk mempertahankannya, atau ketik yang baru.</translation>
    </message>
    <message>
        <source>(kept — type to replace)</source>
        <translation>(tersimpan — ketik untuk mengganti)</translation>
    </message>
    <message>
        <source>No server key is set yet.</source>
        <translation>Server key belum diatur.</translation>
    </message>
    <message>
        <source>This run saves nothing (the demo, or command-line options): what you set here lasts until you quit, and the key stays in memory only.</source>
        <translation>Sesi ini tidak menyimpan apa pun (demo, atau opsi baris perintah): yang Anda atur di sini berlaku sampai aplikasi ditutup, dan kuncinya hanya ada di memori.</translation>
    </message>
    <message>
        <source>The server key is kept in the system&apos;s password store (keyring), never in a settings file.</source>
        <translation>Server key disimpan di penyimpanan kata sandi sistem (keyring), tidak pernah di berkas pengaturan.</translation>
    </message>
    <message>
        <source>The system&apos;s password store (keyring) is locked, so the server key will be kept only until you close Zavera Desktop; set it again after the next start. It is never written to a file.</source>
        <translation>Penyimpanan kata sandi sistem (keyring) terkunci, jadi server key hanya disimpan sampai Anda menutup Zavera Desktop; atur lagi setelah aplikasi dibuka kembali. Kunci tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>The system&apos;s password store (keyring) reported an error, so the server key will be kept only until you close Zavera Desktop; set it again after the next start. It is never written to a file.</source>
        <translation>Penyimpanan kata sandi sistem (keyring) melaporkan kesalahan, jadi server key hanya disimpan sampai Anda menutup Zavera Desktop; atur lagi setelah aplikasi dibuka kembali. Kunci tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>No password store (keyring) is available on this system, so the server key will be kept only until you close Zavera Desktop; set it again after the next start. It is never written to a file.</source>
        <translation>Tidak ada penyimpanan kata sandi (keyring) di sistem ini, jadi server key hanya disimpan sampai Anda menutup Zavera Desktop; atur lagi setelah aplikasi dibuka kembali. Kunci tidak pernah ditulis ke berkas.</translation>
    </message>
    <message>
        <source>Type the Midtrans address, starting with http:// or https:// (the sandbox&apos;s own simulator is e.g. %1).</source>
        <translation>Ketik alamat Midtrans, diawali http:// atau https:// (simulator milik sandbox misalnya %1).</translation>
    </message>
    <message>
        <source>Type the server key: Midtrans dashboard → Settings → Access Keys → Server Key.</source>
        <translation>Ketik server key: dasbor Midtrans → Settings → Access Keys → Server Key.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Menyimpan…</translation>
    </message>
    <message>
        <source>Midtrans is not set up any more; the server key was removed.</source>
        <translation>Midtrans tidak diatur lagi; server key sudah dihapus.</translation>
    </message>
    <message>
        <source>Saved, and in use now. But the key is kept for this session only:</source>
        <translation>Tersimpan dan langsung dipakai. Tetapi kuncinya hanya disimpan untuk sesi ini:</translation>
    </message>
    <message>
        <source>Saved, and in use now: %1 at %2.</source>
        <translation>Tersimpan dan langsung dipakai: %1 di %2.</translation>
    </message>
    <message>
        <source>The saved server key could not be read from the password store; type it again.</source>
        <translation>Server key yang tersimpan tidak dapat dibaca dari penyimpanan kata sandi; ketik lagi.</translation>
    </message>
    <message>
        <source>The Midtrans settings could not be saved; the log file has the details.</source>
        <translation>Pengaturan Midtrans tidak dapat disimpan; rinciannya ada di berkas log.</translation>
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
    <name>OrderBar</name>
    <message>
        <source>%1 is now among the recorded payments</source>
        <translation>%1 kini termasuk pembayaran yang tercatat</translation>
    </message>
    <message>
        <source>%1 is not among the recorded payments</source>
        <translation>%1 tidak termasuk pembayaran yang tercatat</translation>
    </message>
    <message>
        <source>At the shop: %1.</source>
        <translation>Di toko: %1.</translation>
    </message>
    <message>
        <source>The shop has not reported this order paid.</source>
        <translation>Toko belum melaporkan pesanan ini sebagai dibayar.</translation>
    </message>
    <message>
        <source>If the customer says they paid, ask the shop to check it with Midtrans, or replay the notification Midtrans sent.</source>
        <translation>Jika pelanggan bilang sudah membayar, minta toko memeriksanya ke Midtrans, atau putar ulang notifikasi yang dikirim Midtrans.</translation>
    </message>
    <message>
        <source>Check status</source>
        <translation>Cek status</translation>
    </message>
    <message>
        <source>Ask the shop to check this order&apos;s payment with Midtrans now</source>
        <translation>Minta toko memeriksa pembayaran pesanan ini ke Midtrans sekarang</translation>
    </message>
    <message>
        <source>Replay notification…</source>
        <translation>Putar ulang notifikasi…</translation>
    </message>
    <message>
        <source>Ask Midtrans itself and send the shop the notification it missed (you see it before it is sent)</source>
        <translation>Tanya langsung ke Midtrans dan kirim ke toko notifikasi yang terlewat (Anda melihatnya sebelum dikirim)</translation>
    </message>
</context>
<context>
    <name>OrphanView</name>
    <message>
        <source>Mark order %1 as paid in the shop?

Do this only after you have seen the payment in the Midtrans dashboard (search for %2): %3, %4.

The order becomes paid as with the web admin&apos;s Confirm Payment button, the shop goes on to process it, and the payment appears in the list. Your name and the reason go to the audit log.</source>
        <translation>Tandai pesanan %1 sebagai dibayar di toko?

Lakukan ini hanya setelah Anda melihat pembayarannya di dasbor Midtrans (cari %2): %3, %4.

Pesanan menjadi dibayar sama seperti tombol Confirm Payment di admin web, toko melanjutkan prosesnya, dan pembayarannya muncul di daftar. Nama Anda dan alasannya dicatat di log audit.</translation>
    </message>
    <message>
        <source>Confirm payment</source>
        <translation>Konfirmasi pembayaran</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Alasan:</translation>
    </message>
    <message>
        <source>Paid at Midtrans; checked in the Midtrans dashboard</source>
        <translation>Dibayar di Midtrans; sudah dicek di dasbor Midtrans</translation>
    </message>
    <message>
        <source>The app is not connected to the shop right now; try again in a moment.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko; coba lagi sebentar lagi.</translation>
    </message>
    <message>
        <source>Asking the shop to mark the order paid…</source>
        <translation>Meminta toko menandai pesanan sebagai dibayar…</translation>
    </message>
    <message>
        <source>Confirming did not work: %1</source>
        <translation>Konfirmasi tidak berhasil: %1</translation>
    </message>
    <message>
        <source>Confirmed: the order is now %1.</source>
        <translation>Dikonfirmasi: status pesanan sekarang %1.</translation>
    </message>
    <message>
        <source>The payment was recorded and announced once, like any other.</source>
        <translation>Pembayarannya sudah dicatat dan diumumkan sekali, seperti pembayaran lainnya.</translation>
    </message>
    <message>
        <source>The shop already has this order as %1; nothing was changed.</source>
        <translation>Toko sudah mencatat pesanan ini sebagai %1; tidak ada yang diubah.</translation>
    </message>
    <message>
        <source>Not confirmed: the shop can no longer accept this payment. The order is %1, and the backend lets an order become paid only while it is pending. Refund the customer in the Midtrans dashboard (search for %2).</source>
        <translation>Tidak dikonfirmasi: toko tidak bisa lagi menerima pembayaran ini. Status pesanan %1, dan backend hanya mengizinkan pesanan menjadi dibayar selama masih menunggu pembayaran. Kembalikan dana pelanggan lewat dasbor Midtrans (cari %2).</translation>
    </message>
    <message>
        <source>The backend refused to mark the order paid: “%1”</source>
        <translation>Backend menolak menandai pesanan sebagai dibayar: “%1”</translation>
    </message>
    <message>
        <source>The shop answered: %1</source>
        <translation>Toko menjawab: %1</translation>
    </message>
    <message>
        <source>Could not open a browser. Go to %1 and search for %2 (copied).</source>
        <translation>Peramban tidak dapat dibuka. Buka %1 dan cari %2 (sudah disalin).</translation>
    </message>
    <message>
        <source>The Midtrans dashboard is opening (%1). Search for %2 there — it is copied, paste it into the search.</source>
        <translation>Dasbor Midtrans sedang dibuka (%1). Cari %2 di sana — sudah disalin, tempel saja di kotak pencarian.</translation>
    </message>
    <message>
        <source>Close the alert for %1?

Do this when it is dealt with — refunded in the Midtrans dashboard, or settled with the customer. It stays in the history, and it is not raised again for this order. Your name and the reason go to the audit log.</source>
        <translation>Tutup peringatan untuk %1?

Lakukan ini jika sudah ditangani — dana dikembalikan lewat dasbor Midtrans, atau sudah diselesaikan dengan pelanggan. Peringatan ini tetap ada di riwayat dan tidak akan muncul lagi untuk pesanan ini. Nama Anda dan alasannya dicatat di log audit.</translation>
    </message>
    <message>
        <source>Dismiss alert</source>
        <translation>Abaikan peringatan</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Abaikan</translation>
    </message>
    <message>
        <source>e.g. refunded in the Midtrans dashboard</source>
        <translation>mis. dana dikembalikan lewat dasbor Midtrans</translation>
    </message>
    <message>
        <source>Dismissing…</source>
        <translation>Mengabaikan…</translation>
    </message>
    <message>
        <source>Dismissed. The alert is kept in the history.</source>
        <translation>Diabaikan. Peringatan ini tetap tersimpan di riwayat.</translation>
    </message>
    <message>
        <source>Dismissing did not work: %1</source>
        <translation>Mengabaikan tidak berhasil: %1</translation>
    </message>
    <message>
        <source>The app is not connected to the shop right now.</source>
        <translation>Aplikasi sedang tidak terhubung ke toko.</translation>
    </message>
    <message>
        <source>Something unexpected went wrong; the log file has the details.</source>
        <translation>Terjadi kesalahan tak terduga; rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>Amount at Midtrans</source>
        <translation>Jumlah di Midtrans</translation>
    </message>
    <message>
        <source>Midtrans says</source>
        <translation>Menurut Midtrans</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>Status pesanan</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Status pembayaran</translation>
    </message>
    <message>
        <source>Midtrans order id</source>
        <translation>ID pesanan Midtrans</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>Ditemukan pada</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Ditutup</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Apa yang terjadi</translation>
    </message>
    <message>
        <source>Order status when found</source>
        <translation>Status pesanan saat ditemukan</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>Apa yang ditemukan</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>Yang perlu dilakukan</translation>
    </message>
    <message>
        <source>Confirm payment…</source>
        <translation>Konfirmasi pembayaran…</translation>
    </message>
    <message>
        <source>Mark the order paid in the shop, as the web admin&apos;s Confirm Payment button does (asks first; audited)</source>
        <translation>Tandai pesanan sebagai dibayar di toko, seperti tombol Confirm Payment di admin web (bertanya dulu; tercatat di log audit)</translation>
    </message>
    <message>
        <source>Open Midtrans dashboard</source>
        <translation>Buka dasbor Midtrans</translation>
    </message>
    <message>
        <source>Opens the Midtrans dashboard and copies the Midtrans order id to search for</source>
        <translation>Membuka dasbor Midtrans dan menyalin ID pesanan Midtrans untuk dicari</translation>
    </message>
    <message>
        <source>Dismiss…</source>
        <translation>Abaikan…</translation>
    </message>
    <message>
        <source>Close this alert once it is dealt with (asks for a reason; audited)</source>
        <translation>Tutup peringatan ini setelah ditangani (meminta alasan; tercatat di log audit)</translation>
    </message>
    <message>
        <source>Show in the payments list</source>
        <translation>Tampilkan di daftar pembayaran</translation>
    </message>
    <message>
        <source>Search for this in the Midtrans dashboard</source>
        <translation>Cari ini di dasbor Midtrans</translation>
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
    <name>ReplayDialog</name>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Replay again: %1</source>
        <translation>Putar ulang lagi: %1</translation>
    </message>
    <message>
        <source>Replay the Midtrans notification: %1</source>
        <translation>Putar ulang notifikasi Midtrans: %1</translation>
    </message>
    <message>
        <source>Reading the notification stored in the log…</source>
        <translation>Membaca notifikasi yang tersimpan di log…</translation>
    </message>
    <message>
        <source>Asking Midtrans about this payment… (nothing is sent yet)</source>
        <translation>Menanyakan pembayaran ini ke Midtrans… (belum ada yang dikirim)</translation>
    </message>
    <message>
        <source>Sending the notification to the shop…</source>
        <translation>Mengirim notifikasi ke toko…</translation>
    </message>
    <message>
        <source>Nothing has been sent yet. Check the details, then press Send.</source>
        <translation>Belum ada yang dikirim. Periksa rinciannya, lalu tekan Kirim.</translation>
    </message>
    <message>
        <source>from the shop&apos;s order</source>
        <translation>dari pesanan di toko</translation>
    </message>
    <message>
        <source>typed by you</source>
        <translation>diketik oleh Anda</translation>
    </message>
    <message>
        <source>as sent before</source>
        <translation>seperti yang dikirim sebelumnya</translation>
    </message>
    <message>
        <source>This sends the notification of log entry %1 again, exactly as it was sent; Midtrans is not asked again.</source>
        <translation>Ini mengirim lagi notifikasi dari entri log %1, persis seperti yang dikirim dulu; Midtrans tidak ditanya lagi.</translation>
    </message>
    <message>
        <source>This goes to the live shop and marks the order paid with real money. Type the order code %1 to confirm:</source>
        <translation>Ini dikirim ke toko yang sebenarnya dan menandai pesanan dibayar dengan uang sungguhan. Ketik kode pesanan %1 untuk mengonfirmasi:</translation>
    </message>
    <message>
        <source>Replay notification — Zavera Desktop</source>
        <translation>Putar ulang notifikasi — Zavera Desktop</translation>
    </message>
    <message>
        <source>For a payment the shop never heard about: the app asks Midtrans for its status, rebuilds the notification Midtrans would have sent, signs it with the server key and posts it to the shop&apos;s webhook. Nothing is sent until you press Send.</source>
        <translation>Untuk pembayaran yang tidak pernah sampai kabarnya ke toko: aplikasi menanyakan statusnya ke Midtrans, menyusun ulang notifikasi yang seharusnya dikirim Midtrans, menandatanganinya dengan server key, lalu mengirimnya ke webhook toko. Tidak ada yang dikirim sebelum Anda menekan Kirim.</translation>
    </message>
    <message>
        <source>&amp;Look up</source>
        <translation>&amp;Cari</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Pesanan</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>Order status now</source>
        <translation>Status pesanan sekarang</translation>
    </message>
    <message>
        <source>Midtrans says</source>
        <translation>Kata Midtrans</translation>
    </message>
    <message>
        <source>Midtrans id</source>
        <translation>ID Midtrans</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Lingkungan</translation>
    </message>
    <message>
        <source>Midtrans address</source>
        <translation>Alamat Midtrans</translation>
    </message>
    <message>
        <source>Will be posted to</source>
        <translation>Akan dikirim ke</translation>
    </message>
    <message>
        <source>The notification (signature hidden):</source>
        <translation>Notifikasinya (tanda tangan disembunyikan):</translation>
    </message>
    <message>
        <source>&amp;Send notification</source>
        <translation>&amp;Kirim notifikasi</translation>
    </message>
    <message>
        <source>Midtrans settings…</source>
        <translation>Pengaturan Midtrans…</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>Coba &amp;lagi</translation>
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
        <source>Midtrans</source>
        <translation>Midtrans</translation>
    </message>
    <message>
        <source>The environment and server key used to replay a lost notification and to ask Midtrans directly; the shop&apos;s webhook address.</source>
        <translation>Lingkungan dan server key untuk memutar ulang notifikasi yang hilang dan untuk bertanya langsung ke Midtrans; alamat webhook toko.</translation>
    </message>
    <message>
        <source>&amp;Midtrans…</source>
        <translation>&amp;Midtrans…</translation>
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
